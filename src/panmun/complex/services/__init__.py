"""The complex's writes, one module per part (firms and land, workers, wages and payroll)."""
