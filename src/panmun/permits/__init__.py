"""Exchange approvals under the Inter-Korean Exchange and Cooperation Act
(남북교류협력에 관한 법률): one application, several approvals — a visit, a contact report,
goods carried in or out, a cooperation project, a vehicle's operation, a crossing plan — each
with its officer's decision. The gate through which the complex's crossings, aid's shipments
and reunions' visits will pass."""
