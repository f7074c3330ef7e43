// The "hedgebus" VFS: SQLite's default VFS with each write-ahead log's frames written together.
//
// SQLite writes a log frame as two writes, its 24-byte header and then its page, so a commit of
// n pages costs 2n `pwrite` calls. This VFS passes every call on to the default VFS and, for a
// file opened as a write-ahead log, holds the writes of a run of frames appended to the log and
// writes them in one call: at the page of the frame that marks a commit (its header's commit
// field, bytes 4 to 7, is the database's size in pages and never zero), so a commit's frames
// reach the file before `sqlite3WalFrames` goes on to sync the log or to publish the commit in
// the write-ahead index, where other connections would read them. Held bytes are also written
// before any other call on the file (read, sync, truncate, size, file control, lock, close), so
// SQLite never finds the file without them; and a run that would grow past `HELD_LIMIT` bytes is
// written out first: the default VFS writes at most 128 KiB − 1 bytes in one call (it masks a
// longer write's length, and a write cut short fails the commit as SQLITE_FULL).
//
// Only a 24-byte write at the end of the previous write on the same file starts or continues a
// run (a frame's header), and only a write right after a held header joins it (its page).
// Anything else goes straight through, after what is held: the log's 32-byte header, the page
// of a frame that a transaction writes again in place, and the headers SQLite rewrites then to
// redo the checksums (all at offsets other than the end of the last write).
//
// docs/PERFORMANCE.md, change 187, has the measurements.
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "CSQLiteSettings.h"

enum { FRAME_HEADER = 24, HELD_LIMIT = 120 * 1024 };

typedef struct FramedFile {
    sqlite3_file base;
    sqlite3_file *real;       // the default VFS's file, in the same allocation
    int isLog;                // opened as a write-ahead log
    unsigned char *held;      // bytes held for one write, from `heldAt`
    int heldCount;
    int heldCapacity;
    sqlite3_int64 heldAt;
    sqlite3_int64 lastEnd;    // where the previous write on the file ended (-1: none yet)
    int pageDue;              // the last held write was a frame's header
    int commitDue;            // …of a frame that marks a commit
} FramedFile;

// Per thread: the writes SQLite asked of logs and those passed on (`hedgebus_wal_writes_*`).
static _Thread_local struct { long long asked, issued; } threadCounts;

static sqlite3_vfs *realVFS;

// Writes what is held, if anything, in one call; what is held is let go either way.
static int flushHeld(FramedFile *file) {
    if (file->heldCount == 0) return SQLITE_OK;
    int count = file->heldCount;
    file->heldCount = 0;
    file->pageDue = 0;
    file->commitDue = 0;
    threadCounts.issued += 1;
    return file->real->pMethods->xWrite(file->real, file->held, count, file->heldAt);
}

static int hold(FramedFile *file, const void *bytes, int amount, sqlite3_int64 offset) {
    if (file->heldCount == 0) file->heldAt = offset;
    if (file->heldCount + amount > file->heldCapacity) {
        int capacity = file->heldCapacity ? file->heldCapacity : 16 * 1024;
        while (capacity < file->heldCount + amount) capacity *= 2;
        unsigned char *grown = realloc(file->held, (size_t)capacity);
        if (!grown) return SQLITE_NOMEM;
        file->held = grown;
        file->heldCapacity = capacity;
    }
    memcpy(file->held + file->heldCount, bytes, (size_t)amount);
    file->heldCount += amount;
    file->lastEnd = offset + amount;
    return SQLITE_OK;
}

static int framedWrite(sqlite3_file *base, const void *bytes, int amount, sqlite3_int64 offset) {
    FramedFile *file = (FramedFile *)base;
    if (!file->isLog) return file->real->pMethods->xWrite(file->real, bytes, amount, offset);
    threadCounts.asked += 1;
    int contiguous = offset == file->lastEnd;
    int header = amount == FRAME_HEADER && contiguous;
    int page = file->pageDue && file->heldCount > 0 && contiguous;
    if (!contiguous || (!header && !page) || file->heldCount + amount > HELD_LIMIT) {
        int rc = flushHeld(file);
        if (rc != SQLITE_OK) return rc;
        page = 0;
    }
    if (header) {
        const unsigned char *field = (const unsigned char *)bytes + 4;
        int rc = hold(file, bytes, amount, offset);
        if (rc != SQLITE_OK) return rc;
        file->pageDue = 1;
        file->commitDue = (field[0] | field[1] | field[2] | field[3]) != 0;
        return SQLITE_OK;
    }
    if (page) {
        int rc = hold(file, bytes, amount, offset);
        if (rc != SQLITE_OK) return rc;
        file->pageDue = 0;
        return file->commitDue ? flushHeld(file) : SQLITE_OK;
    }
    file->lastEnd = offset + amount;
    threadCounts.issued += 1;
    return file->real->pMethods->xWrite(file->real, bytes, amount, offset);
}

static int framedClose(sqlite3_file *base) {
    FramedFile *file = (FramedFile *)base;
    int rc = flushHeld(file);
    int closed = file->real->pMethods->xClose(file->real);
    free(file->held);
    file->held = NULL;
    file->heldCapacity = 0;
    return rc != SQLITE_OK ? rc : closed;
}

// Every other call on a file first writes what is held, then passes the call on.
#define FLUSHED(file) do { int rc_ = flushHeld(file); if (rc_ != SQLITE_OK) return rc_; } while (0)

static int framedRead(sqlite3_file *base, void *bytes, int amount, sqlite3_int64 offset) {
    FramedFile *file = (FramedFile *)base;
    FLUSHED(file);
    return file->real->pMethods->xRead(file->real, bytes, amount, offset);
}

static int framedTruncate(sqlite3_file *base, sqlite3_int64 size) {
    FramedFile *file = (FramedFile *)base;
    FLUSHED(file);
    file->lastEnd = -1;
    return file->real->pMethods->xTruncate(file->real, size);
}

static int framedSync(sqlite3_file *base, int flags) {
    FramedFile *file = (FramedFile *)base;
    FLUSHED(file);
    return file->real->pMethods->xSync(file->real, flags);
}

static int framedFileSize(sqlite3_file *base, sqlite3_int64 *size) {
    FramedFile *file = (FramedFile *)base;
    FLUSHED(file);
    return file->real->pMethods->xFileSize(file->real, size);
}

static int framedLock(sqlite3_file *base, int level) {
    FramedFile *file = (FramedFile *)base;
    FLUSHED(file);
    return file->real->pMethods->xLock(file->real, level);
}

static int framedUnlock(sqlite3_file *base, int level) {
    FramedFile *file = (FramedFile *)base;
    FLUSHED(file);
    return file->real->pMethods->xUnlock(file->real, level);
}

static int framedCheckReservedLock(sqlite3_file *base, int *reserved) {
    FramedFile *file = (FramedFile *)base;
    FLUSHED(file);
    return file->real->pMethods->xCheckReservedLock(file->real, reserved);
}

static int framedFileControl(sqlite3_file *base, int op, void *argument) {
    FramedFile *file = (FramedFile *)base;
    FLUSHED(file);
    return file->real->pMethods->xFileControl(file->real, op, argument);
}

static int framedSectorSize(sqlite3_file *base) {
    FramedFile *file = (FramedFile *)base;
    return file->real->pMethods->xSectorSize(file->real);
}

static int framedDeviceCharacteristics(sqlite3_file *base) {
    FramedFile *file = (FramedFile *)base;
    return file->real->pMethods->xDeviceCharacteristics(file->real);
}

static int framedShmMap(sqlite3_file *base, int region, int size, int extend, void volatile **mapped) {
    FramedFile *file = (FramedFile *)base;
    return file->real->pMethods->xShmMap(file->real, region, size, extend, mapped);
}

static int framedShmLock(sqlite3_file *base, int offset, int count, int flags) {
    FramedFile *file = (FramedFile *)base;
    return file->real->pMethods->xShmLock(file->real, offset, count, flags);
}

static void framedShmBarrier(sqlite3_file *base) {
    FramedFile *file = (FramedFile *)base;
    file->real->pMethods->xShmBarrier(file->real);
}

static int framedShmUnmap(sqlite3_file *base, int deleteFlag) {
    FramedFile *file = (FramedFile *)base;
    return file->real->pMethods->xShmUnmap(file->real, deleteFlag);
}

static int framedFetch(sqlite3_file *base, sqlite3_int64 offset, int amount, void **pointer) {
    FramedFile *file = (FramedFile *)base;
    FLUSHED(file);
    return file->real->pMethods->xFetch(file->real, offset, amount, pointer);
}

static int framedUnfetch(sqlite3_file *base, sqlite3_int64 offset, void *pointer) {
    FramedFile *file = (FramedFile *)base;
    return file->real->pMethods->xUnfetch(file->real, offset, pointer);
}

static const sqlite3_io_methods framedMethodsV1 = {
    1, framedClose, framedRead, framedWrite, framedTruncate, framedSync, framedFileSize, framedLock, framedUnlock,
    framedCheckReservedLock, framedFileControl, framedSectorSize, framedDeviceCharacteristics,
    0, 0, 0, 0, 0, 0,
};

static const sqlite3_io_methods framedMethodsV2 = {
    2, framedClose, framedRead, framedWrite, framedTruncate, framedSync, framedFileSize, framedLock, framedUnlock,
    framedCheckReservedLock, framedFileControl, framedSectorSize, framedDeviceCharacteristics,
    framedShmMap, framedShmLock, framedShmBarrier, framedShmUnmap, 0, 0,
};

static const sqlite3_io_methods framedMethodsV3 = {
    3, framedClose, framedRead, framedWrite, framedTruncate, framedSync, framedFileSize, framedLock, framedUnlock,
    framedCheckReservedLock, framedFileControl, framedSectorSize, framedDeviceCharacteristics,
    framedShmMap, framedShmLock, framedShmBarrier, framedShmUnmap, framedFetch, framedUnfetch,
};

// The default VFS's file lives right after ours, aligned for any of its members.
static size_t framedFileHeaderSize(void) { return (sizeof(FramedFile) + 15) & ~(size_t)15; }

static int framedOpen(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *base, int flags, int *outFlags) {
    (void)vfs;
    FramedFile *file = (FramedFile *)base;
    memset(file, 0, sizeof(FramedFile));
    file->real = (sqlite3_file *)((unsigned char *)base + framedFileHeaderSize());
    file->lastEnd = -1;
    file->isLog = (flags & SQLITE_OPEN_WAL) != 0;
    // Whether or not it opens, the default VFS leaves its file's methods set or NULL.
    file->real->pMethods = NULL;
    int rc = realVFS->xOpen(realVFS, name, file->real, flags, outFlags);
    const sqlite3_io_methods *real = file->real->pMethods;
    if (!real) {
        base->pMethods = NULL;
    } else {
        base->pMethods = real->iVersion >= 3 ? &framedMethodsV3 : real->iVersion == 2 ? &framedMethodsV2 : &framedMethodsV1;
    }
    return rc;
}

static int framedDelete(sqlite3_vfs *vfs, const char *name, int syncDirectory) {
    (void)vfs;
    return realVFS->xDelete(realVFS, name, syncDirectory);
}

static int framedAccess(sqlite3_vfs *vfs, const char *name, int flags, int *result) {
    (void)vfs;
    return realVFS->xAccess(realVFS, name, flags, result);
}

static int framedFullPathname(sqlite3_vfs *vfs, const char *name, int size, char *out) {
    (void)vfs;
    return realVFS->xFullPathname(realVFS, name, size, out);
}

static void *framedDlOpen(sqlite3_vfs *vfs, const char *name) { (void)vfs; return realVFS->xDlOpen(realVFS, name); }

static void framedDlError(sqlite3_vfs *vfs, int size, char *message) { (void)vfs; realVFS->xDlError(realVFS, size, message); }

static void (*framedDlSym(sqlite3_vfs *vfs, void *handle, const char *symbol))(void) {
    (void)vfs;
    return realVFS->xDlSym(realVFS, handle, symbol);
}

static void framedDlClose(sqlite3_vfs *vfs, void *handle) { (void)vfs; realVFS->xDlClose(realVFS, handle); }

static int framedRandomness(sqlite3_vfs *vfs, int size, char *out) { (void)vfs; return realVFS->xRandomness(realVFS, size, out); }

static int framedSleep(sqlite3_vfs *vfs, int micros) { (void)vfs; return realVFS->xSleep(realVFS, micros); }

static int framedCurrentTime(sqlite3_vfs *vfs, double *now) { (void)vfs; return realVFS->xCurrentTime(realVFS, now); }

static int framedGetLastError(sqlite3_vfs *vfs, int size, char *out) {
    (void)vfs;
    return realVFS->xGetLastError ? realVFS->xGetLastError(realVFS, size, out) : 0;
}

static int framedCurrentTimeInt64(sqlite3_vfs *vfs, sqlite3_int64 *now) {
    (void)vfs;
    return realVFS->xCurrentTimeInt64(realVFS, now);
}

static int framedSetSystemCall(sqlite3_vfs *vfs, const char *name, sqlite3_syscall_ptr call) {
    (void)vfs;
    return realVFS->xSetSystemCall(realVFS, name, call);
}

static sqlite3_syscall_ptr framedGetSystemCall(sqlite3_vfs *vfs, const char *name) {
    (void)vfs;
    return realVFS->xGetSystemCall(realVFS, name);
}

static const char *framedNextSystemCall(sqlite3_vfs *vfs, const char *name) {
    (void)vfs;
    return realVFS->xNextSystemCall(realVFS, name);
}

static sqlite3_vfs framedVFS = {
    .iVersion = 3, .zName = "hedgebus",
    .xOpen = framedOpen, .xDelete = framedDelete, .xAccess = framedAccess, .xFullPathname = framedFullPathname,
    .xDlOpen = framedDlOpen, .xDlError = framedDlError, .xDlSym = framedDlSym, .xDlClose = framedDlClose,
    .xRandomness = framedRandomness, .xSleep = framedSleep, .xCurrentTime = framedCurrentTime,
    .xGetLastError = framedGetLastError, .xCurrentTimeInt64 = framedCurrentTimeInt64,
    .xSetSystemCall = framedSetSystemCall, .xGetSystemCall = framedGetSystemCall, .xNextSystemCall = framedNextSystemCall,
};

static int registerFramedVFS(void) {
    sqlite3_vfs *current = sqlite3_vfs_find(NULL);
    // Only a VFS of version 3 (every call above exists), as the unix one is, is wrapped.
    if (!current || current->iVersion < 3) return SQLITE_ERROR;
    realVFS = current;
    framedVFS.szOsFile = (int)(framedFileHeaderSize() + (size_t)current->szOsFile);
    framedVFS.mxPathname = current->mxPathname;
    return sqlite3_vfs_register(&framedVFS, 1);
}

static pthread_once_t registration = PTHREAD_ONCE_INIT;
static int registrationResult = SQLITE_ERROR;

static void registerOnce(void) { registrationResult = registerFramedVFS(); }

int hedgebus_use_framed_vfs(void) {
    pthread_once(&registration, registerOnce);
    return registrationResult;
}

long long hedgebus_wal_writes_asked(void) { return threadCounts.asked; }

long long hedgebus_wal_writes_issued(void) { return threadCounts.issued; }
