"""Record linkage of people across the two sides' lists (issue 3, in progress).

`records` reads and checks the file contract (the input CSV); `features` precomputes the
Korean-aware comparison columns the Splink model will use. No Django import.
"""
