#ifndef HEDGEBUS_CSQLITESETTINGS_H
#define HEDGEBUS_CSQLITESETTINGS_H

/// What SQLite answered, at the process's start, to HedgeBus's process-wide setting (memory
/// statistics off): `SQLITE_OK` (0) when it took effect, `SQLITE_MISUSE` when something had
/// initialized SQLite before the process's constructors ran. See settings.c.
int hedgebus_sqlite_settings_result(void);

/// Starts the kernel's writeback of the dirty pages of the file open at `descriptor`, the whole
/// file, without waiting for it (`sync_file_range` with `SYNC_FILE_RANGE_WRITE`, which Swift's
/// Glibc module does not declare). 0 when started, else -1 with `errno` set. See writeback.c.
int hedgebus_start_writeback(int descriptor);

#endif
