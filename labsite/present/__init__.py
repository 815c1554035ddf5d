"""Model to what templates show: views, pages, head tags, structured data, calendar links."""
