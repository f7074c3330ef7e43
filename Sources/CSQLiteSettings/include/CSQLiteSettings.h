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

/// Makes the "hedgebus" VFS SQLite's default, once per process (later calls return what the
/// first answered): the default VFS with each write-ahead log's frames written together, a
/// commit's in one write (see walframes.c). `SQLITE_OK` when it is the default. Registering a
/// VFS starts SQLite, so a process calls it when it opens its first store, not before: one that
/// keeps none never loads SQLite's pages.
int hedgebus_use_framed_vfs(void);

/// The writes SQLite asked of write-ahead logs on the calling thread so far, and those passed
/// on to the file: what the framed VFS saved on this thread (see walframes.c).
long long hedgebus_wal_writes_asked(void);
long long hedgebus_wal_writes_issued(void);

#endif
