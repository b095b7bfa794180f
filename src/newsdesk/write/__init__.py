"""Writing: extractive selection and compression, and (later) the analysis writers."""
