// Writeback of a file's dirty pages, started without waiting for it.
//
// A store whose commits are writes to the operating system (the TradingDirector's and the
// analytics store) leaves its log and, after each checkpoint, its database file dirty in the
// page cache until a checkpoint syncs them: megabytes at once, which hold up every other sync
// queued to the same disk meanwhile, the ledger's among them. Started as the pages are written,
// the same bytes reach the disk in small pieces, and the checkpoint's sync finds little left.
// docs/PERFORMANCE.md, change 122, has the measurements.
#define _GNU_SOURCE
#include <fcntl.h>
#include "CSQLiteSettings.h"

int hedgebus_start_writeback(int descriptor) {
    return sync_file_range(descriptor, 0, 0, SYNC_FILE_RANGE_WRITE);
}
