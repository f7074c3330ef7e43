// The process's id, remembered instead of asked of the kernel every time.
//
// Since glibc 2.25 every getpid() is a system call. libzmq (built with fork checks, as Debian's
// is) asks for it on every signal between a socket's thread and its I/O thread, to notice a
// fork: about 45 system calls per filled signal in the TradingDirector alone, each about
// 140 ns on this project's 2-CPU VM, plus what entering the kernel evicts. An executable that
// defines getpid gets libzmq's calls as well as its own: the linker exports a definition that a
// shared library it links against uses, and the dynamic linker binds the library's calls to it.
//
// The id is read once before `main` (a constructor, while the process is one thread) and again
// in the child of a fork (a pthread_atfork handler, run in the child before fork returns there).
// A child made by vfork or posix_spawn shares the parent's memory until it runs exec; it finds
// the parent's id here, as it did with glibc's own cache before 2.25. docs/PERFORMANCE.md,
// change 176, has the counts.
#include <pthread.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>
#include "CProcessID.h"

static _Atomic(pid_t) rememberedProcessID = 0;
static _Thread_local unsigned long callsOnThisThread = 0;

static pid_t askKernel(void) {
    return (pid_t)syscall(SYS_getpid);
}

static void rememberInChild(void) {
    atomic_store_explicit(&rememberedProcessID, askKernel(), memory_order_relaxed);
}

__attribute__((constructor))
static void rememberProcessID(void) {
    atomic_store_explicit(&rememberedProcessID, askKernel(), memory_order_relaxed);
    pthread_atfork(NULL, NULL, rememberInChild);
}

pid_t getpid(void) {
    callsOnThisThread += 1;
    pid_t pid = atomic_load_explicit(&rememberedProcessID, memory_order_relaxed);
    return pid != 0 ? pid : askKernel();
}

unsigned long hedgebus_getpid_calls_on_this_thread(void) {
    return callsOnThisThread;
}
