"""Files to model: YAML with lines, fields, settings, content, schedules, references, and the path rule."""
