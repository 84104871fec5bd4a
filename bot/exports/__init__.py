"""Documents and files made from reviews: PDF, Word, JSON."""
