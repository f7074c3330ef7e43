// SQLite's process-wide settings for HedgeBus, made before `main` runs.
//
// `sqlite3_config` takes effect only before SQLite initializes (which the first open does), it
// must not race another thread's SQLite call, and it is variadic, so Swift cannot call it. A
// constructor of this object file runs while the process is still one thread, before any store
// opens, in every executable and test bundle that links the Ledger module.
//
// SQLITE_CONFIG_MEMSTATUS off: SQLite no longer counts its heap (`sqlite3_memory_used` and the
// memory high-water marks read 0). Counting took a process-wide mutex around every allocation
// and free SQLite makes, about 46 lock pairs per filled signal in the TradingDirector's
// commits. (The connections themselves already run without a mutex: GRDB opens them in
// multi-thread mode, since it hands each to one thread at a time.)
//
// docs/PERFORMANCE.md, change 95, has the counts.
#include <sqlite3.h>
#include "CSQLiteSettings.h"

static int settingsResult = -1;

__attribute__((constructor))
static void hedgebus_sqlite_settings(void) {
    settingsResult = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int hedgebus_sqlite_settings_result(void) {
    return settingsResult;
}
