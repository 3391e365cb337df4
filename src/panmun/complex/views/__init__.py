"""The complex's pages, one module per part."""
