"""The command line's commands beyond build and check: serve, i18n, new; argument handling and printing."""
