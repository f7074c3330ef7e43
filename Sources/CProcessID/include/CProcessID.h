#ifndef HEDGEBUS_CPROCESSID_H
#define HEDGEBUS_CPROCESSID_H

/// How many times this thread has asked for the process's id through the cached `getpid` of
/// process_id.c (libzmq's calls included, when the executable's `getpid` is the one they reach).
unsigned long hedgebus_getpid_calls_on_this_thread(void);

#endif
