"""Maps and charts drawn on the server as SVG."""
