#ifndef HEDGEBUS_CZEROMQ_SHIM_H
#define HEDGEBUS_CZEROMQ_SHIM_H
#include <zmq.h>
#include <errno.h>
#include <sys/eventfd.h>
/* epoll, for waiting on the sockets' ZMQ_FD descriptors (SocketPoller). */
#include <sys/epoll.h>
/* malloc_trim, for agents handing freed memory back (glibc). */
#include <malloc.h>
/* The CPUs a thread may run on (CPUAffinity): the kernel's calls, which glibc declares only
   under _GNU_SOURCE. 0 or more on success, -1 with errno set on failure. */
#include <sys/syscall.h>
#include <unistd.h>
static inline long hedgebus_sched_setaffinity(int thread, size_t size, const void *mask) {
    return syscall(SYS_sched_setaffinity, thread, size, mask);
}
static inline long hedgebus_sched_getaffinity(int thread, size_t size, void *mask) {
    return syscall(SYS_sched_getaffinity, thread, size, mask);
}
/* A scheduling policy for libzmq's own threads (ZMQContext): Linux's SCHED_BATCH (sched(7)),
   which glibc's <sched.h> declares only under _GNU_SOURCE. */
#define HEDGEBUS_SCHED_BATCH 3
#endif
