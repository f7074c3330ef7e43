#ifndef HEDGEBUS_CSQLITESETTINGS_H
#define HEDGEBUS_CSQLITESETTINGS_H

/// What SQLite answered, at the process's start, to HedgeBus's process-wide setting (memory
/// statistics off): `SQLITE_OK` (0) when it took effect, `SQLITE_MISUSE` when something had
/// initialized SQLite before the process's constructors ran. See settings.c.
int hedgebus_sqlite_settings_result(void);

#endif
