#ifndef HEDGEBUS_CZEROMQ_SHIM_H
#define HEDGEBUS_CZEROMQ_SHIM_H
#include <zmq.h>
#include <errno.h>
#include <sys/eventfd.h>
/* epoll, for waiting on the sockets' ZMQ_FD descriptors (SocketPoller). */
#include <sys/epoll.h>
/* malloc_trim, for agents handing freed memory back (glibc). */
#include <malloc.h>
#endif
