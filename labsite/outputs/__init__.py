"""One module per output kind (html, ics, atom, sitemap, status, checks…); only the writer touches the disk."""
