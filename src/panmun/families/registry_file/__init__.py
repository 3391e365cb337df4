"""The separated-families registry file (이산가족 등록부): read and checked whole, and written back.

One row per (applicant, relative sought). The applicant (신청자) is the person who registered;
the relative (찾는 가족) is the person they seek. Rows sharing a `registry_no` are one applicant
seeking several relatives; an applicant row whose relative columns are all blank is an applicant
who seeks nobody yet. The file is CSV (UTF-8 with or without BOM, or CP949 as Korean Excel saves
it) or Excel xlsx (first sheet), read and written through `panmun.common.spreadsheets`. Headers
are the English column names of `COLUMNS` or the Korean ones of `KOREAN_HEADERS`, in any order,
case, spacing.

- `columns`: the columns, their headers, the records (`ApplicantData`, `RelativeData`) and the
  attributes each column is, the limits (`MAX_FILE_BYTES`, `MAX_ROWS`, lengths of values).
- `values`: each cell's text checked and made its value, or refused with why.
- `checker`: the rows and each applicant's rows checked, staged on disk so that memory does not
  grow with the file (`stage_registry`, `read_registry`, `RegistryFileError`).
- `writer`: the registry as the rows of its file, written as CSV or xlsx (`write_csv`,
  `write_xlsx` and the `_to` variants that write to a file row by row).

Import what you use from its module; this package gives nothing of its own.
"""
