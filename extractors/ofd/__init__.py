"""OFD (GB/T 33190) packages: the parts, the page text as words, the attached files."""
