"""Spreadsheets: the cells of CSV and xlsx files, read and written, with no Django.

`reading` reads a .csv (UTF-8 with or without BOM, or CP949 as Korean Excel saves it) or .xlsx
file (its first sheet) row by row as cell texts, in memory that does not grow with the file,
or names with `Finding`s what makes it unreadable (`SpreadsheetError`); the caller checks its
own columns, and bounds the rows it takes (`read_table(max_rows=…)`). `writing` writes a header
and rows as CSV (UTF-8 with a BOM, formula-like cells quoted through `common.csvcells`) or as an
xlsx workbook of one sheet of text cells, streamed row by row to a file, up to Excel's last row
(`XLSX_MAX_ROWS`; past it `XlsxTooLarge`) with each cell cut to Excel's `XLSX_MAX_TEXT`.
`charsets` holds the encodings a CSV file is read in, apart so that text-only readers (the
linkage records) need not load the xlsx reader.

What reads a file of its own (the registry of separated families, a tracing round's reply, a
reunion's check sheet) reads it through here, whatever its columns mean.
"""
