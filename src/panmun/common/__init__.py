"""The shared kernel: what every app uses and no app owns — the error contract (`errors`), a
problem's one vocabulary (`findings`), text in both languages (`bilingual`), the API's schema
types (`api_schemas`), bounded reading of bundles from the other side (`bundlefiles`),
writing many rows at once (`bulk`) and the printed documents' one kind of page (`pdf`). It
imports no domain app."""
