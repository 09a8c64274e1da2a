"""The only package that opens input files: content YAML and workbooks."""
