/*
 * The least a six-process pipeline of HedgeBus's shape costs on this machine: the same roles,
 * topics and hops as the bench topology, each role its own process calling libzmq directly, and
 * no work beyond moving the messages and one durable SQLite commit per group of orders. The
 * ceiling any implementation of this layout can reach here (scripts/bench-pipeline's "raw
 * pipeline" rows); driven by Benchmarks/pipeline/drive.py like HedgeBus and the Python pipeline.
 *
 *   raw_pipeline bus PUBLISH SUBSCRIBE
 *   raw_pipeline director PUBLISH SUBSCRIBE ANALYST RISK EXECUTION
 *   raw_pipeline echo ENDPOINT                        (the analyst's and the RiskManager's place)
 *   raw_pipeline execution ENDPOINT MARKET
 *   raw_pipeline market ENDPOINT DATABASE
 *
 * bus        XSUB (PUBLISH) / XPUB (SUBSCRIBE) proxy.
 * director   takes signal.* from the bus; a lane per symbol, one cycle in flight per lane (as
 *            HedgeBus keeps a symbol's order); each cycle asks ANALYST, then RISK, then
 *            EXECUTION (DEALER → ROUTER, so cycles of different symbols overlap), then publishes
 *            decision.<symbol> with the signal's id, "filled" and its latency_us;
 *            heartbeat.trading-director every 500 ms.
 * echo       ROUTER: answers each request with a short JSON reply.
 * execution  ROUTER for the director, DEALER to MARKET: forwards each order and its report.
 * market     ROUTER: takes every order that has come in, inserts a row for each in one SQLite
 *            transaction (WAL, synchronous=FULL: a group commit), and answers them once it is
 *            on disk.
 * No trace events, account events, market ticks, validation, retries or records: each message
 * is read for the few bytes it must route by.
 *
 * RAW_IO_THREAD_POLICY=batch runs libzmq's I/O threads under SCHED_BATCH (new_context), and
 * RAW_THREAD_POLICY=batch the role's own thread (main).
 *
 * Build: cc -O2 -Wall -o raw_pipeline raw_pipeline.c -lzmq -lsqlite3
 */
#define _GNU_SOURCE /* SCHED_BATCH */
#include <sched.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

#define MAX_LANES 64
/* Signals that may wait per symbol; one more is dropped, which the driver counts as missing
 * and so as a rate not kept up with. */
#define MAX_QUEUED 4096
#define MAX_FRAME 8192
#define ID_LEN 64
#define SYMBOL_LEN 32

static void die(const char *role, const char *what) {
    fprintf(stderr, "raw_pipeline %s: %s: %s\n", role, what, zmq_strerror(zmq_errno()));
    exit(1);
}

static long long now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (long long)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

static void *open_socket(void *ctx, int type, const char *role) {
    void *s = zmq_socket(ctx, type);
    if (!s) die(role, "zmq_socket");
    int zero = 0;
    zmq_setsockopt(s, ZMQ_LINGER, &zero, sizeof zero);
    if (type == ZMQ_SUB || type == ZMQ_XSUB || type == ZMQ_XPUB || type == ZMQ_PUB) {
        zmq_setsockopt(s, ZMQ_SNDHWM, &zero, sizeof zero);
        zmq_setsockopt(s, ZMQ_RCVHWM, &zero, sizeof zero);
    }
    return s;
}

/* Receives one frame into buf (at most size - 1 bytes, then NUL-terminated); its length, or -1. */
static int receive_frame(void *s, char *buf, int size, int flags) {
    int n = zmq_recv(s, buf, size - 1, flags);
    if (n < 0) return -1;
    if (n > size - 1) n = size - 1;
    buf[n] = 0;
    return n;
}

static int more(void *s) {
    int more = 0;
    size_t len = sizeof more;
    zmq_getsockopt(s, ZMQ_RCVMORE, &more, &len);
    return more;
}

/* Copies the JSON string value of "key" (the first one in json) into out; 0 when absent. */
static int json_string(const char *json, const char *key, char *out, int size) {
    char pattern[48];
    snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    const char *start = strstr(json, pattern);
    if (!start) return 0;
    start += strlen(pattern);
    const char *end = strchr(start, '"');
    if (!end || end - start >= size) return 0;
    memcpy(out, start, end - start);
    out[end - start] = 0;
    return 1;
}

/* Whether the environment variable `name` says "batch" or "auto" (batch on a host the bench
 * has to itself, as the agents' auto is). */
static int batch(const char *name) {
    const char *policy = getenv(name);
    return policy && (strcmp(policy, "batch") == 0 || strcmp(policy, "auto") == 0);
}

/* A context whose I/O thread runs under SCHED_BATCH when RAW_IO_THREAD_POLICY is "batch", as
 * the agents' do by default (their topology's io_thread_policy), and under the normal policy
 * otherwise, whatever the role's thread runs under: scripts/bench-pipeline passes the bench
 * topologies' policies, so the raw pipeline is measured under the same scheduling. */
static void *new_context(void) {
    void *ctx = zmq_ctx_new();
    if (ctx) zmq_ctx_set(ctx, ZMQ_THREAD_SCHED_POLICY, batch("RAW_IO_THREAD_POLICY") ? SCHED_BATCH : SCHED_OTHER);
    return ctx;
}

/* ---- bus ---- */

static int run_bus(const char *publish, const char *subscribe) {
    void *ctx = new_context();
    void *front = open_socket(ctx, ZMQ_XSUB, "bus"), *back = open_socket(ctx, ZMQ_XPUB, "bus");
    if (zmq_bind(front, publish) != 0) die("bus", publish);
    if (zmq_bind(back, subscribe) != 0) die("bus", subscribe);
    zmq_proxy(front, back, NULL);
    return 0;
}

/* ---- director ---- */

struct signal_entry {
    char id[ID_LEN];
    long long ts;
};

struct lane {
    char symbol[SYMBOL_LEN];
    struct signal_entry queue[MAX_QUEUED];
    int head, count;
    int step; /* 0 idle, 1 analyze, 2 assess, 3 execute */
};

static struct lane lanes[MAX_LANES];
static int lane_count;

static struct lane *lane_for(const char *symbol) {
    for (int i = 0; i < lane_count; i++)
        if (strcmp(lanes[i].symbol, symbol) == 0) return &lanes[i];
    if (lane_count == MAX_LANES) return NULL;
    struct lane *lane = &lanes[lane_count++];
    snprintf(lane->symbol, sizeof lane->symbol, "%s", symbol);
    return lane;
}

static const char *step_type[] = {"", "analyze", "assess", "execute"};

/* Sends the request of the lane's current step for the signal at its head: frames [lane][body]. */
static void send_step(void *peer, struct lane *lane) {
    int index = (int)(lane - lanes);
    char body[512];
    struct signal_entry *signal = &lane->queue[lane->head];
    int n = snprintf(body, sizeof body,
                     "{\"v\":1,\"id\":\"%s-%d\",\"type\":\"%s\",\"trace_id\":\"%s\",\"source\":\"trading-director\","
                     "\"ts\":%lld,\"payload\":{\"symbol\":\"%s\",\"side\":\"buy\",\"qty\":0.01}}",
                     signal->id, lane->step, step_type[lane->step], signal->id, now_us(), lane->symbol);
    zmq_send(peer, &index, sizeof index, ZMQ_SNDMORE);
    zmq_send(peer, body, n, 0);
}

static void publish_decision(void *pub, struct lane *lane) {
    struct signal_entry *signal = &lane->queue[lane->head];
    char topic[64], body[512];
    int t = snprintf(topic, sizeof topic, "decision.%s", lane->symbol);
    int n = snprintf(body, sizeof body,
                     "{\"v\":1,\"id\":\"d-%s\",\"type\":\"decision\",\"trace_id\":\"%s\",\"source\":\"trading-director\","
                     "\"ts\":%lld,\"payload\":{\"signal_id\":\"%s\",\"symbol\":\"%s\",\"outcome\":\"filled\",\"latency_us\":%lld}}",
                     signal->id, signal->id, now_us(), signal->id, lane->symbol, now_us() - signal->ts);
    zmq_send(pub, topic, t, ZMQ_SNDMORE);
    zmq_send(pub, body, n, 0);
}

static void run_director(const char *publish, const char *subscribe, const char *endpoints[3]) {
    void *ctx = new_context();
    void *sub = open_socket(ctx, ZMQ_SUB, "director"), *pub = open_socket(ctx, ZMQ_PUB, "director");
    if (zmq_connect(sub, subscribe) != 0) die("director", subscribe);
    zmq_setsockopt(sub, ZMQ_SUBSCRIBE, "signal.", 7);
    if (zmq_connect(pub, publish) != 0) die("director", publish);
    void *peers[3];
    for (int i = 0; i < 3; i++) {
        peers[i] = open_socket(ctx, ZMQ_DEALER, "director");
        if (zmq_connect(peers[i], endpoints[i]) != 0) die("director", endpoints[i]);
    }
    zmq_pollitem_t items[4] = {{sub, 0, ZMQ_POLLIN, 0}, {peers[0], 0, ZMQ_POLLIN, 0},
                               {peers[1], 0, ZMQ_POLLIN, 0}, {peers[2], 0, ZMQ_POLLIN, 0}};
    long long next_beat = 0;
    char topic[128], body[MAX_FRAME];
    for (;;) {
        long long now = now_us();
        if (now >= next_beat) {
            char beat[160];
            int n = snprintf(beat, sizeof beat, "{\"v\":1,\"type\":\"heartbeat\",\"source\":\"trading-director\",\"ts\":%lld,\"payload\":{}}", now);
            zmq_send(pub, "heartbeat.trading-director", 26, ZMQ_SNDMORE);
            zmq_send(pub, beat, n, 0);
            next_beat = now + 500000;
        }
        if (zmq_poll(items, 4, (long)((next_beat - now) / 1000) + 1) < 0) die("director", "zmq_poll");
        if (items[0].revents & ZMQ_POLLIN) {
            while (receive_frame(sub, topic, sizeof topic, ZMQ_DONTWAIT) >= 0) {
                if (!more(sub) || receive_frame(sub, body, sizeof body, 0) < 0) continue;
                char symbol[SYMBOL_LEN], id[ID_LEN];
                if (!json_string(body, "symbol", symbol, sizeof symbol) || !json_string(body, "id", id, sizeof id)) continue;
                struct lane *lane = lane_for(symbol);
                if (!lane || lane->count == MAX_QUEUED) continue;
                struct signal_entry *entry = &lane->queue[(lane->head + lane->count) % MAX_QUEUED];
                snprintf(entry->id, sizeof entry->id, "%s", id);
                const char *ts = strstr(body, "\"ts\":");
                entry->ts = ts ? atoll(ts + 5) : now_us();
                if (lane->count++ == 0) {
                    lane->step = 1;
                    send_step(peers[0], lane);
                }
            }
        }
        for (int p = 0; p < 3; p++) {
            if (!(items[p + 1].revents & ZMQ_POLLIN)) continue;
            int index;
            while (zmq_recv(peers[p], &index, sizeof index, ZMQ_DONTWAIT) == sizeof index) {
                if (!more(peers[p]) || receive_frame(peers[p], body, sizeof body, 0) < 0) continue;
                if (index < 0 || index >= lane_count) continue;
                struct lane *lane = &lanes[index];
                if (lane->step != p + 1) continue;
                if (lane->step < 3) {
                    lane->step++;
                    send_step(peers[lane->step - 1], lane);
                    continue;
                }
                publish_decision(pub, lane);
                lane->head = (lane->head + 1) % MAX_QUEUED;
                lane->step = --lane->count > 0 ? 1 : 0;
                if (lane->step) send_step(peers[0], lane);
            }
        }
    }
}

/* ---- echo (analyst, RiskManager) ---- */

/* Receives a ROUTER message of up to `capacity` frames; the frame count, or -1. */
static int receive_message(void *s, char frames[][MAX_FRAME], int lengths[], int capacity, int flags) {
    int count = 0;
    do {
        if (count == capacity) return -1;
        lengths[count] = receive_frame(s, frames[count], MAX_FRAME, count ? 0 : flags);
        if (lengths[count] < 0) return -1;
        count++;
    } while (more(s));
    return count;
}

static void send_message(void *s, char frames[][MAX_FRAME], const int lengths[], int count) {
    for (int i = 0; i < count; i++) zmq_send(s, frames[i], lengths[i], i + 1 < count ? ZMQ_SNDMORE : 0);
}

static void run_echo(const char *endpoint) {
    void *ctx = new_context();
    void *router = open_socket(ctx, ZMQ_ROUTER, "echo");
    if (zmq_bind(router, endpoint) != 0) die("echo", endpoint);
    static char frames[4][MAX_FRAME];
    int lengths[4];
    for (;;) {
        int count = receive_message(router, frames, lengths, 4, 0);
        if (count != 3) continue; /* [peer][lane][request] */
        char trace[ID_LEN] = "";
        json_string(frames[2], "trace_id", trace, sizeof trace);
        lengths[2] = snprintf(frames[2], MAX_FRAME,
                              "{\"v\":1,\"id\":\"r-%s\",\"type\":\"reply\",\"trace_id\":\"%s\",\"source\":\"echo\","
                              "\"ts\":%lld,\"payload\":{\"approved\":true}}", trace, trace, now_us());
        send_message(router, frames, lengths, 3);
    }
}

/* ---- execution ---- */

static void run_execution(const char *endpoint, const char *market) {
    void *ctx = new_context();
    void *router = open_socket(ctx, ZMQ_ROUTER, "execution"), *dealer = open_socket(ctx, ZMQ_DEALER, "execution");
    if (zmq_bind(router, endpoint) != 0) die("execution", endpoint);
    if (zmq_connect(dealer, market) != 0) die("execution", market);
    zmq_pollitem_t items[2] = {{router, 0, ZMQ_POLLIN, 0}, {dealer, 0, ZMQ_POLLIN, 0}};
    static char frames[4][MAX_FRAME];
    int lengths[4];
    for (;;) {
        if (zmq_poll(items, 2, -1) < 0) die("execution", "zmq_poll");
        /* An order goes on as [director][lane][order]; its report comes back the same way. */
        if (items[0].revents & ZMQ_POLLIN)
            while (receive_message(router, frames, lengths, 4, ZMQ_DONTWAIT) == 3) send_message(dealer, frames, lengths, 3);
        if (items[1].revents & ZMQ_POLLIN)
            while (receive_message(dealer, frames, lengths, 4, ZMQ_DONTWAIT) == 3) send_message(router, frames, lengths, 3);
    }
}

/* ---- market ---- */

static void sql(sqlite3 *db, const char *statement) {
    char *error = NULL;
    if (sqlite3_exec(db, statement, NULL, NULL, &error) != SQLITE_OK) {
        fprintf(stderr, "raw_pipeline market: %s: %s\n", statement, error);
        exit(1);
    }
}

#define MAX_GROUP 256

static int run_market(const char *endpoint, const char *database) {
    sqlite3 *db;
    if (sqlite3_open(database, &db) != SQLITE_OK) {
        fprintf(stderr, "raw_pipeline market: cannot open %s\n", database);
        return 1;
    }
    sql(db, "PRAGMA journal_mode=WAL");
    sql(db, "PRAGMA synchronous=FULL");
    sql(db, "CREATE TABLE IF NOT EXISTS orders (id INTEGER PRIMARY KEY, client_order_id TEXT, symbol TEXT, qty REAL)");
    sqlite3_stmt *insert;
    sqlite3_prepare_v2(db, "INSERT INTO orders (client_order_id, symbol, qty) VALUES (?1, ?2, 0.01)", -1, &insert, NULL);
    void *ctx = new_context();
    void *router = open_socket(ctx, ZMQ_ROUTER, "market");
    if (zmq_bind(router, endpoint) != 0) die("market", endpoint);
    static char group[MAX_GROUP][5][MAX_FRAME];
    static int lengths[MAX_GROUP][5];
    long long order = 0;
    for (;;) {
        /* Wait for one order, then take every one already here: one commit for them all. */
        int taken = 0;
        while (taken < MAX_GROUP) {
            int count = receive_message(router, group[taken], lengths[taken], 5, taken ? ZMQ_DONTWAIT : 0);
            if (count < 0) break;
            if (count == 4) taken++; /* [execution][director][lane][order] */
        }
        sql(db, "BEGIN");
        for (int i = 0; i < taken; i++) {
            char id[ID_LEN] = "", symbol[SYMBOL_LEN] = "";
            json_string(group[i][3], "trace_id", id, sizeof id);
            json_string(group[i][3], "symbol", symbol, sizeof symbol);
            sqlite3_bind_text(insert, 1, id, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(insert, 2, symbol, -1, SQLITE_TRANSIENT);
            if (sqlite3_step(insert) != SQLITE_DONE) {
                fprintf(stderr, "raw_pipeline market: insert: %s\n", sqlite3_errmsg(db));
                return 1;
            }
            sqlite3_reset(insert);
        }
        sql(db, "COMMIT");
        for (int i = 0; i < taken; i++) {
            char trace[ID_LEN] = "";
            json_string(group[i][3], "trace_id", trace, sizeof trace);
            lengths[i][3] = snprintf(group[i][3], MAX_FRAME,
                                     "{\"v\":1,\"id\":\"o-%lld\",\"type\":\"order.submit.ok\",\"trace_id\":\"%s\",\"source\":\"market-maker\","
                                     "\"ts\":%lld,\"payload\":{\"order_id\":\"O-%lld\",\"status\":\"filled\",\"filled_qty\":0.01}}",
                                     order, trace, now_us(), order);
            order++;
            send_message(router, group[i], lengths[i], 4);
        }
    }
}

int main(int argc, char **argv) {
    const char *role = argc > 1 ? argv[1] : "";
    /* The role's own thread under SCHED_BATCH, as the agents' threads by default (thread_policy). */
    if (batch("RAW_THREAD_POLICY")) {
        struct sched_param none = {0};
        if (sched_setscheduler(0, SCHED_BATCH, &none) != 0) perror("raw_pipeline: SCHED_BATCH");
    }
    if (strcmp(role, "bus") == 0 && argc == 4) return run_bus(argv[2], argv[3]);
    if (strcmp(role, "director") == 0 && argc == 7) {
        const char *peers[3] = {argv[4], argv[5], argv[6]};
        run_director(argv[2], argv[3], peers);
    }
    if (strcmp(role, "echo") == 0 && argc == 3) run_echo(argv[2]);
    if (strcmp(role, "execution") == 0 && argc == 4) run_execution(argv[2], argv[3]);
    if (strcmp(role, "market") == 0 && argc == 4) return run_market(argv[2], argv[3]);
    fprintf(stderr, "usage: raw_pipeline bus PUBLISH SUBSCRIBE | director PUBLISH SUBSCRIBE ANALYST RISK EXECUTION"
                    " | echo ENDPOINT | execution ENDPOINT MARKET | market ENDPOINT DATABASE\n");
    return 2;
}
