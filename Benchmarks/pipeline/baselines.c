/*
 * Baselines for scripts/bench-pipeline: what libzmq and SQLite cost on this machine with no
 * HedgeBus code in the way. Each figure prints as one JSON line on stdout.
 *
 *   baselines reqrep N        REQ/REP round trip over tcp loopback, N round trips (p50/p99 µs)
 *   baselines chain N         client → A → B → C → D → E, each hop a REP server forwarding through
 *                             its own REQ: 5 nested round trips per request (p50/p99 µs)
 *   baselines reqrep-ctx N    the same round trip with a ZeroMQ context (and so an I/O thread) on
 *                             each side, as between two processes
 *   baselines chain-ctx N     the 5-hop chain with a context per hop and one for the client, as
 *                             when every hop is its own process (each message then crosses two
 *                             I/O threads, the sender's and the receiver's)
 *   baselines reqrep-ctx-work N US
 *                             reqrep-ctx with US µs of busy work on each side between a receive
 *                             and the send it causes, as an application's own work per message
 *                             (how often libzmq's I/O threads then sleep: PERFORMANCE.md, change H)
 *   baselines reqrep-ctx-spin N US
 *                             reqrep-ctx with a client that waits for each reply by polling
 *                             (a non-blocking receive, then sched_yield) for up to US µs before
 *                             it blocks, as a HedgeBus loop with busy_poll_us US awaits a reply;
 *                             the server blocks as before (the hop's baseline with --busy-poll-us)
 *   baselines reqrep-curve N  reqrep with CURVE on both sides and a ZAP handler thread accepting
 *                             the client's key, as on a topology with security.curve (compare with
 *                             reqrep run alongside)
 *   baselines pubsub N        N messages of 200 B, PUB → XSUB/XPUB proxy → SUB (msgs/s, lost)
 *   baselines sqlite DIR N    N durable commits (WAL, synchronous=FULL, one INSERT each) of a
 *                             database in DIR (p50/p99 µs)
 *
 * Every socket is owned by one thread; endpoints are tcp://127.0.0.1 on ports the kernel picks.
 * Build: cc -O2 -pthread -o baselines baselines.c -lzmq -lsqlite3
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

#define HOPS 5
#define PUBSUB_SIZE 200
#define ENDPOINT_LEN 64

static void die(const char *what) {
    fprintf(stderr, "baselines: %s: %s\n", what, zmq_strerror(zmq_errno()));
    exit(1);
}

static double now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static int compare_doubles(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Nearest-rank percentile of a sorted array. */
static double percentile(const double *sorted, int n, double p) {
    int rank = (int)(p / 100.0 * n + 0.999999);
    if (rank < 1) rank = 1;
    if (rank > n) rank = n;
    return sorted[rank - 1];
}

static void print_latencies(const char *name, double *samples, int n) {
    qsort(samples, n, sizeof *samples, compare_doubles);
    printf("{\"name\": \"%s\", \"n\": %d, \"p50_us\": %.1f, \"p99_us\": %.1f, \"max_us\": %.1f}\n", name, n,
           percentile(samples, n, 50), percentile(samples, n, 99), samples[n - 1]);
    fflush(stdout);
}

static void *socket_on(void *ctx, int type) {
    void *s = zmq_socket(ctx, type);
    if (!s) die("zmq_socket");
    int zero = 0;
    zmq_setsockopt(s, ZMQ_LINGER, &zero, sizeof zero);
    return s;
}

/* Binds to a kernel-chosen loopback port and writes the resulting endpoint. */
static void bind_any(void *s, char *endpoint) {
    size_t len = ENDPOINT_LEN;
    if (zmq_bind(s, "tcp://127.0.0.1:*") != 0) die("zmq_bind");
    if (zmq_getsockopt(s, ZMQ_LAST_ENDPOINT, endpoint, &len) != 0) die("ZMQ_LAST_ENDPOINT");
}

/* Microseconds the client polls for its reply before it blocks (reqrep-ctx-spin). */
static double spin_us = 0;

/* Receives the client's reply: with spin_us, polling without blocking (yielding the CPU between
 * polls) until the reply comes or spin_us has passed, then blocking. */
static int receive_reply(void *client, char *reply, size_t size) {
    if (spin_us > 0) {
        double end = now_us() + spin_us;
        do {
            int n = zmq_recv(client, reply, size, ZMQ_DONTWAIT);
            if (n >= 0 || errno != EAGAIN) return n;
            sched_yield();
        } while (now_us() < end);
    }
    return zmq_recv(client, reply, size, 0);
}

/* Microseconds of busy work between a receive and the send it causes (reqrep-ctx-work). */
static double work_us = 0;

static void work(void) {
    if (work_us <= 0) return;
    double end = now_us() + work_us;
    while (now_us() < end) {}
}

/* ---- REQ/REP: a hop echoes, or forwards to the next hop and replies with its reply ---- */

struct hop {
    void *rep;         /* bound by the creator, used only by the hop's thread from then on */
    const char *next;  /* endpoint to forward to, or NULL: echo */
    void *ctx;         /* the context the hop's sockets belong to */
    pthread_t thread;
};

static void *run_hop(void *arg) {
    struct hop *h = arg;
    void *req = NULL;
    if (h->next) {
        req = socket_on(h->ctx, ZMQ_REQ);
        if (zmq_connect(req, h->next) != 0) die("zmq_connect");
    }
    char buf[1024];
    for (;;) {
        int n = zmq_recv(h->rep, buf, sizeof buf, 0);
        if (n < 0) break;  /* ETERM: the benchmark is over */
        if (req) {
            if (zmq_send(req, buf, n, 0) < 0) break;
            n = zmq_recv(req, buf, sizeof buf, 0);
            if (n < 0) break;
        }
        work();
        if (zmq_send(h->rep, buf, n, 0) < 0) break;
    }
    if (req) zmq_close(req);
    zmq_close(h->rep);
    return NULL;
}

/* Times n round trips through a chain of `hops` servers (1 = a plain echo). With `own_contexts`
 * every hop and the client have a context of their own, as separate processes would. */
static void bench_chain(const char *name, int hops, int n, int own_contexts) {
    void *ctx = zmq_ctx_new();
    struct hop chain[HOPS];
    char endpoints[HOPS][ENDPOINT_LEN];
    /* Bind from the last hop back so each forwarder knows where its next hop listens. */
    for (int i = hops - 1; i >= 0; i--) {
        chain[i].ctx = own_contexts ? zmq_ctx_new() : ctx;
        /* The REP lives in the hop's context too: with `own_contexts` a message crosses the
         * sender's I/O thread and the receiver's, as between two processes. */
        chain[i].rep = socket_on(chain[i].ctx, ZMQ_REP);
        bind_any(chain[i].rep, endpoints[i]);
        chain[i].next = i + 1 < hops ? endpoints[i + 1] : NULL;
        pthread_create(&chain[i].thread, NULL, run_hop, &chain[i]);
    }
    void *client = socket_on(ctx, ZMQ_REQ);
    if (zmq_connect(client, endpoints[0]) != 0) die("zmq_connect");

    char payload[PUBSUB_SIZE], reply[1024];
    memset(payload, 'x', sizeof payload);
    int warmup = n / 10 + 10;
    double *samples = malloc(n * sizeof *samples);
    for (int i = -warmup; i < n; i++) {
        double start = now_us();
        if (zmq_send(client, payload, sizeof payload, 0) < 0) die("zmq_send");
        if (receive_reply(client, reply, sizeof reply) < 0) die("zmq_recv");
        if (i >= 0) samples[i] = now_us() - start;
        work();
    }
    zmq_close(client);
    zmq_ctx_term(ctx);  /* wakes every hop's blocking recv with ETERM */
    if (own_contexts)
        for (int i = 0; i < hops; i++) zmq_ctx_term(chain[i].ctx);
    for (int i = 0; i < hops; i++) pthread_join(chain[i].thread, NULL);
    print_latencies(name, samples, n);
    free(samples);
}

/* ---- REQ/REP with CURVE and a ZAP handler ---- */

/* Answers every ZAP request of its context with 200 and a User-Id, until the context ends. */
static void *run_zap(void *arg) {
    void *zap = arg;
    for (;;) {
        zmq_msg_t frames[8];
        int count = 0, more = 1;
        while (more) {
            zmq_msg_init(&frames[count < 7 ? count : 7]);
            if (zmq_msg_recv(&frames[count < 7 ? count : 7], zap, 0) < 0) { zmq_close(zap); return NULL; }
            more = zmq_msg_more(&frames[count < 7 ? count : 7]);
            if (count < 7) count++; else zmq_msg_close(&frames[7]);
        }
        zmq_send(zap, "1.0", 3, ZMQ_SNDMORE);
        zmq_send(zap, zmq_msg_data(&frames[1]), zmq_msg_size(&frames[1]), ZMQ_SNDMORE);
        zmq_send(zap, "200", 3, ZMQ_SNDMORE);
        zmq_send(zap, "OK", 2, ZMQ_SNDMORE);
        zmq_send(zap, "client", 6, ZMQ_SNDMORE);
        zmq_send(zap, "", 0, 0);
        for (int i = 0; i < count; i++) zmq_msg_close(&frames[i]);
    }
}

static void bench_reqrep_curve(int n) {
    char server_public[41], server_secret[41], client_public[41], client_secret[41];
    if (zmq_curve_keypair(server_public, server_secret) != 0 || zmq_curve_keypair(client_public, client_secret) != 0)
        die("zmq_curve_keypair (is libzmq built with CURVE?)");
    void *ctx = zmq_ctx_new();
    void *zap = socket_on(ctx, ZMQ_REP);
    if (zmq_bind(zap, "inproc://zeromq.zap.01") != 0) die("zmq_bind ZAP");
    pthread_t zap_thread;
    pthread_create(&zap_thread, NULL, run_zap, zap);

    struct hop echo = {.ctx = ctx, .next = NULL};
    char endpoint[ENDPOINT_LEN];
    int one = 1;
    echo.rep = socket_on(ctx, ZMQ_REP);
    zmq_setsockopt(echo.rep, ZMQ_CURVE_SERVER, &one, sizeof one);
    zmq_setsockopt(echo.rep, ZMQ_CURVE_SECRETKEY, server_secret, 40);
    zmq_setsockopt(echo.rep, ZMQ_ZAP_DOMAIN, "bench", 5);
    zmq_setsockopt(echo.rep, 93 /* ZMQ_ZAP_ENFORCE_DOMAIN, a draft constant */, &one, sizeof one);
    bind_any(echo.rep, endpoint);
    pthread_create(&echo.thread, NULL, run_hop, &echo);

    void *client = socket_on(ctx, ZMQ_REQ);
    zmq_setsockopt(client, ZMQ_CURVE_SERVERKEY, server_public, 40);
    zmq_setsockopt(client, ZMQ_CURVE_PUBLICKEY, client_public, 40);
    zmq_setsockopt(client, ZMQ_CURVE_SECRETKEY, client_secret, 40);
    if (zmq_connect(client, endpoint) != 0) die("zmq_connect");

    char payload[PUBSUB_SIZE], reply[1024];
    memset(payload, 'x', sizeof payload);
    int warmup = n / 10 + 10;
    double *samples = malloc(n * sizeof *samples);
    for (int i = -warmup; i < n; i++) {
        double start = now_us();
        if (zmq_send(client, payload, sizeof payload, 0) < 0) die("zmq_send");
        if (zmq_recv(client, reply, sizeof reply, 0) < 0) die("zmq_recv");
        if (i >= 0) samples[i] = now_us() - start;
        work();
    }
    zmq_close(client);
    zmq_ctx_term(ctx);  /* ends the echo's and the ZAP handler's blocking recv with ETERM */
    pthread_join(echo.thread, NULL);
    pthread_join(zap_thread, NULL);
    print_latencies("reqrep-curve", samples, n);
    free(samples);
}

/* ---- PUB/SUB through an XSUB/XPUB proxy ---- */

struct proxy {
    void *ctx;
    void *xsub, *xpub;
    pthread_t thread;
};

static void *run_proxy(void *arg) {
    struct proxy *p = arg;
    zmq_proxy(p->xsub, p->xpub, NULL);  /* returns on ETERM */
    zmq_close(p->xsub);
    zmq_close(p->xpub);
    return NULL;
}

static void set_hwm(void *s, int hwm) {
    zmq_setsockopt(s, ZMQ_SNDHWM, &hwm, sizeof hwm);
    zmq_setsockopt(s, ZMQ_RCVHWM, &hwm, sizeof hwm);
}

struct subscriber {
    void *ctx;
    const char *endpoint;
    int hwm;
    long received;
    double first_us, last_us;
    pthread_t thread;
};

/* Counts messages until the "end" topic arrives or nothing comes for a second. */
static void *run_subscriber(void *arg) {
    struct subscriber *s = arg;
    void *sub = socket_on(s->ctx, ZMQ_SUB);
    set_hwm(sub, s->hwm);
    zmq_setsockopt(sub, ZMQ_SUBSCRIBE, "", 0);
    if (zmq_connect(sub, s->endpoint) != 0) die("zmq_connect");
    int timeout = 1000;
    zmq_setsockopt(sub, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
    char topic[32], body[PUBSUB_SIZE + 64];
    for (;;) {
        int n = zmq_recv(sub, topic, sizeof topic, 0);
        if (n < 0) break;
        int more = 0;
        size_t len = sizeof more;
        zmq_getsockopt(sub, ZMQ_RCVMORE, &more, &len);
        if (more) zmq_recv(sub, body, sizeof body, 0);
        if (n == 3 && memcmp(topic, "end", 3) == 0) break;
        if (s->received++ == 0) s->first_us = now_us();
        s->last_us = now_us();
    }
    zmq_close(sub);
    return NULL;
}

static void bench_pubsub(int n) {
    int hwm = n + 1000;  /* above the whole stream: a drop would be a real loss, and it is counted */
    void *ctx = zmq_ctx_new();
    struct proxy proxy = {.ctx = ctx};
    char in[ENDPOINT_LEN], out[ENDPOINT_LEN];
    proxy.xsub = socket_on(ctx, ZMQ_XSUB);
    proxy.xpub = socket_on(ctx, ZMQ_XPUB);
    set_hwm(proxy.xsub, hwm);
    set_hwm(proxy.xpub, hwm);
    bind_any(proxy.xsub, in);
    bind_any(proxy.xpub, out);
    pthread_create(&proxy.thread, NULL, run_proxy, &proxy);

    struct subscriber sub = {.ctx = ctx, .endpoint = out, .hwm = hwm};
    pthread_create(&sub.thread, NULL, run_subscriber, &sub);

    /* An XPUB publisher sends once the subscription has come upstream through the proxy
     * (the handshake of docs/PROTOCOL.md), so nothing is dropped for want of a subscriber. */
    void *pub = socket_on(ctx, ZMQ_XPUB);
    set_hwm(pub, hwm);
    if (zmq_connect(pub, in) != 0) die("zmq_connect");
    char frame[64];
    if (zmq_recv(pub, frame, sizeof frame, 0) < 1 || frame[0] != 1) die("waiting for the subscription");

    char body[PUBSUB_SIZE];
    memset(body, 'x', sizeof body);
    double start = now_us();
    for (int i = 0; i < n; i++) {
        if (zmq_send(pub, "signal.BTC-USD", 14, ZMQ_SNDMORE) < 0 || zmq_send(pub, body, sizeof body, 0) < 0) die("zmq_send");
    }
    zmq_send(pub, "end", 3, ZMQ_SNDMORE);
    zmq_send(pub, "", 0, 0);
    pthread_join(sub.thread, NULL);
    double elapsed_s = ((sub.received ? sub.last_us : now_us()) - start) / 1e6;
    zmq_close(pub);
    zmq_ctx_term(ctx);
    pthread_join(proxy.thread, NULL);
    printf("{\"name\": \"pubsub\", \"n\": %d, \"bytes\": %d, \"received\": %ld, \"lost\": %ld, \"msgs_per_s\": %.0f}\n", n,
           PUBSUB_SIZE, sub.received, n - sub.received, sub.received / elapsed_s);
}

/* ---- SQLite durable commit ---- */

static void sql(sqlite3 *db, const char *statement) {
    char *error = NULL;
    if (sqlite3_exec(db, statement, NULL, NULL, &error) != SQLITE_OK) {
        fprintf(stderr, "baselines: %s: %s\n", statement, error);
        exit(1);
    }
}

static void bench_sqlite(const char *dir, int n) {
    char path[4096];
    snprintf(path, sizeof path, "%s/baseline.sqlite", dir);
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK) {
        fprintf(stderr, "baselines: cannot open %s: %s\n", path, sqlite3_errmsg(db));
        exit(1);
    }
    sql(db, "PRAGMA journal_mode=WAL");
    sql(db, "PRAGMA synchronous=FULL");
    sql(db, "CREATE TABLE IF NOT EXISTS fills (id INTEGER PRIMARY KEY, order_id TEXT, price REAL, qty REAL)");
    sqlite3_stmt *insert;
    sqlite3_prepare_v2(db, "INSERT INTO fills (order_id, price, qty) VALUES (?1, 60000.5, 0.01)", -1, &insert, NULL);
    int warmup = n / 10 + 5;
    double *samples = malloc(n * sizeof *samples);
    for (int i = -warmup; i < n; i++) {
        double start = now_us();
        sql(db, "BEGIN");
        sqlite3_bind_int(insert, 1, i);
        if (sqlite3_step(insert) != SQLITE_DONE) {
            fprintf(stderr, "baselines: insert: %s\n", sqlite3_errmsg(db));
            exit(1);
        }
        sqlite3_reset(insert);
        sql(db, "COMMIT");
        if (i >= 0) samples[i] = now_us() - start;
    }
    sqlite3_finalize(insert);
    sqlite3_close(db);
    print_latencies("sqlite", samples, n);
    free(samples);
}

static int count_arg(const char *text) {
    char *end;
    long n = strtol(text, &end, 10);
    if (*end || n < 1 || n > 100000000) {
        fprintf(stderr, "baselines: '%s' is not a positive count\n", text);
        exit(2);
    }
    return (int)n;
}

int main(int argc, char **argv) {
    if (argc == 3 && strcmp(argv[1], "reqrep") == 0) {
        bench_chain("reqrep", 1, count_arg(argv[2]), 0);
    } else if (argc == 3 && strcmp(argv[1], "chain") == 0) {
        bench_chain("chain", HOPS, count_arg(argv[2]), 0);
    } else if (argc == 3 && strcmp(argv[1], "reqrep-ctx") == 0) {
        bench_chain("reqrep-ctx", 1, count_arg(argv[2]), 1);
    } else if (argc == 4 && strcmp(argv[1], "reqrep-ctx-work") == 0) {
        work_us = atof(argv[3]);
        bench_chain("reqrep-ctx-work", 1, count_arg(argv[2]), 1);
    } else if (argc == 4 && strcmp(argv[1], "reqrep-ctx-spin") == 0) {
        spin_us = atof(argv[3]);
        bench_chain("reqrep-ctx-spin", 1, count_arg(argv[2]), 1);
    } else if (argc == 3 && strcmp(argv[1], "reqrep-curve") == 0) {
        bench_reqrep_curve(count_arg(argv[2]));
    } else if (argc == 3 && strcmp(argv[1], "chain-ctx") == 0) {
        bench_chain("chain-ctx", HOPS, count_arg(argv[2]), 1);
    } else if (argc == 3 && strcmp(argv[1], "pubsub") == 0) {
        bench_pubsub(count_arg(argv[2]));
    } else if (argc == 4 && strcmp(argv[1], "sqlite") == 0) {
        bench_sqlite(argv[2], count_arg(argv[3]));
    } else {
        fprintf(stderr, "usage: baselines reqrep N | chain N | reqrep-ctx N | reqrep-ctx-work N US | reqrep-ctx-spin N US | reqrep-curve N | chain-ctx N | pubsub N | sqlite DIR N\n");
        return 2;
    }
    return 0;
}
