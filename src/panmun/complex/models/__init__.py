"""The complex's records, one module per part: firms and their output, land, workers, wage rules,
payrolls and remittances."""

from .firms import Firm, FirmKind, OutputMonth, Sector, YearFigures
from .land import Building, BuildingKind, FeeRule, LandLease, Parcel, Sublease
from .payroll import PayrollLine, PayrollMonth, PayrollState, Remittance, RemittanceState
from .wages import DisputeState, WageDispute, WageRule
from .workers import Worker, WorkerSex

__all__ = [
    "Building",
    "BuildingKind",
    "DisputeState",
    "FeeRule",
    "Firm",
    "FirmKind",
    "LandLease",
    "OutputMonth",
    "Parcel",
    "PayrollLine",
    "PayrollMonth",
    "PayrollState",
    "Remittance",
    "RemittanceState",
    "Sector",
    "Sublease",
    "WageDispute",
    "WageRule",
    "Worker",
    "WorkerSex",
    "YearFigures",
]
