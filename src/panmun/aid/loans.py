"""A food loan's (식량차관) schedule and balance, computed from its terms. Pure: no Django.

The convention (the one that reproduces the ministry's published instalments of the 2000 loan
to within USD 51, see below):

- Interest runs from the disbursement date. During the grace period it is not paid but
  capitalised: simple interest at the annual rate for the whole years of grace is added to the
  principal when the grace period ends.
- Repayment: `repayment_years` yearly instalments on the anniversaries of the disbursement
  after the grace period ends (the first one a year after its end), each an equal part of the
  capitalised principal plus the interest on the outstanding balance since the previous
  anniversary, counted on actual days over 365 (a year holding 29 February has 366).
- A missed instalment is charged the overdue rate from its due date (actual/365, simple).

The 2000 loan (USD 88.36 M, 1%, 10 years' grace, 20 years of repayment, disbursed as of
7 June 2001 so that the first instalment falls on 7 June 2012) gives 5,834,422.90 and 5,783,162.00
for its first two instalments; the published figures are 5,834,372 and 5,783,111. Both
differ by USD 51, which an exact principal of about USD 88,359,225 (that the sources round to
88.36 M) would remove; the sources do not give it, so the computed and the published figures
are both kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
DAYS_IN_YEAR = Decimal(365)


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class LoanTerms:
    principal: Decimal
    annual_rate: Decimal  # 0.01 for 1% a year
    grace_years: int
    repayment_years: int
    overdue_rate: Decimal  # 0.02 for 2% a year on overdue sums
    disbursed_on: date

    def __post_init__(self) -> None:
        if self.principal <= 0:
            raise ValueError("the principal must be more than 0")
        if self.repayment_years < 1:
            raise ValueError("at least one year of repayment")
        if self.grace_years < 0 or self.annual_rate < 0 or self.overdue_rate < 0:
            raise ValueError("rates and years of grace cannot be negative")


@dataclass(frozen=True)
class Instalment:
    seq: int
    due_on: date
    principal: Decimal
    interest: Decimal
    balance_after: Decimal  # the principal outstanding once it is paid

    @property
    def amount(self) -> Decimal:
        return self.principal + self.interest


@dataclass(frozen=True)
class Balance:
    on: date
    principal: Decimal  # outstanding on the schedule (after the instalments fallen due)
    interest: Decimal  # accrued since the last instalment fell due (or capitalised in grace)
    overdue: Decimal  # instalments fallen due and not paid (principal and interest)
    overdue_charge: Decimal  # the overdue rate on them, from each due date

    @property
    def total(self) -> Decimal:
        return self.principal + self.interest + self.overdue + self.overdue_charge


def anniversary(start: date, years: int) -> date:
    """`start` moved on by whole years (29 February becomes 28 February)."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


def days_interest(amount: Decimal, rate: Decimal, start: date, end: date) -> Decimal:
    """Simple interest on `amount` from `start` to `end`, actual days over 365."""
    if end <= start:
        return Decimal(0)
    return amount * rate * Decimal((end - start).days) / DAYS_IN_YEAR


def grace_end(terms: LoanTerms) -> date:
    return anniversary(terms.disbursed_on, terms.grace_years)


def capitalised_principal(terms: LoanTerms) -> Decimal:
    """The principal with the grace period's interest added (simple, whole years)."""
    return cents(terms.principal * (1 + terms.annual_rate * terms.grace_years))


def schedule(terms: LoanTerms) -> list[Instalment]:
    """The instalments, in order; the last one repays what is left of the principal."""
    capital = capitalised_principal(terms)
    part = cents(capital / terms.repayment_years)
    outstanding = capital
    previous = grace_end(terms)
    result: list[Instalment] = []
    for seq in range(1, terms.repayment_years + 1):
        due = anniversary(terms.disbursed_on, terms.grace_years + seq)
        interest = cents(days_interest(outstanding, terms.annual_rate, previous, due))
        principal = outstanding if seq == terms.repayment_years else part
        outstanding -= principal
        result.append(Instalment(seq, due, principal, interest, outstanding))
        previous = due
    return result


def overdue_charge(amount: Decimal, rate: Decimal, due_on: date, on: date) -> Decimal:
    """The charge on `amount` left unpaid since `due_on`, at `on`."""
    return cents(days_interest(amount, rate, due_on, on))


def balance(terms: LoanTerms, on: date, paid: set[int] | frozenset[int] = frozenset()) -> Balance:
    """What the borrower owes on `on`, the instalments numbered in `paid` having been paid on
    their due dates: the principal outstanding, the interest accrued on it, the instalments
    fallen due and unpaid, and the overdue charge on them."""
    instalments = schedule(terms)
    end = grace_end(terms)
    if on < terms.disbursed_on:
        zero = Decimal(0)
        return Balance(on, zero, zero, zero, zero)
    if on <= end:
        interest = cents(days_interest(terms.principal, terms.annual_rate, terms.disbursed_on, on))
        return Balance(on, terms.principal, interest, Decimal(0), Decimal(0))
    fallen = [i for i in instalments if i.due_on <= on]
    principal = fallen[-1].balance_after if fallen else capitalised_principal(terms)
    since = fallen[-1].due_on if fallen else end
    interest = cents(days_interest(principal, terms.annual_rate, since, on))
    unpaid = [i for i in fallen if i.seq not in paid]
    overdue = sum((i.amount for i in unpaid), Decimal(0))
    charge = sum(
        (overdue_charge(i.amount, terms.overdue_rate, i.due_on, on) for i in unpaid), Decimal(0)
    )
    return Balance(on, principal, interest, overdue, charge)
