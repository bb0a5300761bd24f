/// The tests' "now": 2024-05-01 12:00:00 UTC, in milliseconds since the epoch.
let fixedNow: Int64 = 1_714_564_800_000
