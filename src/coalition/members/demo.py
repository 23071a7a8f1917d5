"""Deterministic demo data grounded in the Coalition's own documents (see shared seeds)."""

DEMO_PASSWORD = "oer-coalition-demo"  # noqa: S105 - published demo password, demo data only

DEMO_ACCOUNTS = {
    "secretariat": "secretariat@example.org",
    "focal point (Madagascar)": "focal.madagascar@example.org",
    "working-group chair": "chair.capacity@example.org",
    "member": "member@example.org",
}
