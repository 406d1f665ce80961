#include <sqlite3.h>

/// sqlite3_config is variadic, which Swift cannot call: this turns off SQLite's memory statistics
/// (a process-wide mutex taken on every SQLite malloc and free). Only works before SQLite is
/// initialized (the first open); later it returns SQLITE_MISUSE and changes nothing.
static inline int sluice_sqlite3_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
