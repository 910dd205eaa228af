"""Reading PDFs: the input bytes, signature fields, the signed revision's values, stamp text."""
