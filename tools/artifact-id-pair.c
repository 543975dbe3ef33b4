// Finds two byte strings whose SHA-256 digests share their first 8 bytes: two artifacts with the same
// 64-bit artifact_id (DEC-015), which the store must refuse (STORE_ARTIFACT_ID_COLLISION, ATXI-INV-001).
// A birthday search over 64 bits takes about 2^32 hashes; Pollard's rho with distinguished points
// (parallel collision search) does it in constant memory. The strings are
//   "asl-conform artifact_id pair " followed by 16 lowercase hex digits of a u64 x,
// and the walk is x -> first 8 bytes of SHA-256(string(x)), read big-endian. Two walks that reach the same
// distinguished point (low DP_BITS bits zero) are walked again from their starts, lengths aligned, to
// the step where they meet: two different x with the same next value. With one thread the pair found
// depends only on the seed; with more, on which thread reaches a shared point first.
//
//   gcc -O2 -pthread tools/artifact-id-pair.c -lcrypto -o /tmp/pair && /tmp/pair [threads] [seed]
// (libssl-dev for the header).
//
// Prints the two strings and their common artifact_id. Run once by hand; the pair is in
// harness/checks/artifact-id.ts (ARTIFACT_ID_PAIR), and test/authoring/artifact-id-pair.test.ts checks it by
// recomputing SHA-256, so the search never runs in CI.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <inttypes.h>
#include <openssl/sha.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PREFIX "asl-conform artifact_id pair "
// WIDTH < 64 searches a shorter prefix (a quick test of the search itself: -DWIDTH=40 -DDP_BITS=10).
#ifndef WIDTH
#define WIDTH 64
#endif
#ifndef DP_BITS
#define DP_BITS 18
#endif
#define MAX_CHAIN (40ull << DP_BITS)
#define TABLE_BITS 22

static char hexd[] = "0123456789abcdef";

static void message(uint64_t x, char *out) {
  size_t p = sizeof(PREFIX) - 1;
  memcpy(out, PREFIX, p);
  for (int i = 15; i >= 0; i--) out[p + 15 - i] = hexd[(x >> (4 * i)) & 15];
}

// One SHA-256 compression of the padded 45-byte message (SHA256_Transform: the library's fastest path,
// with the CPU's SHA instructions where it has them; about 16 million a second a core here).
static SHA256_CTX initial;
static uint64_t step(uint64_t x) {
  unsigned char block[64] = {0};
  const size_t n = sizeof(PREFIX) - 1 + 16;
  message(x, (char *)block);
  block[n] = 0x80;
  block[62] = (unsigned char)((n * 8) >> 8);
  block[63] = (unsigned char)(n * 8);
  SHA256_CTX c = initial;
  SHA256_Transform(&c, block);
  uint64_t v = ((uint64_t)c.h[0] << 32) | c.h[1];
  return WIDTH == 64 ? v : v >> (64 - WIDTH);
}

struct point {
  uint64_t dp, start, length;
};
static struct point *table;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static volatile int done = 0;
static uint64_t seed = 1;
static int threads = 2;

static uint64_t splitmix(uint64_t *s) {
  uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// Walks both chains to where they meet; 1 and the pair when they meet at different x.
static int resolve(struct point a, struct point b, uint64_t *xa, uint64_t *xb) {
  uint64_t u = a.start, v = b.start, la = a.length, lb = b.length;
  while (la > lb) u = step(u), la--;
  while (lb > la) v = step(v), lb--;
  if (u == v) return 0;  // one start lies on the other chain: no collision here
  for (;;) {
    uint64_t nu = step(u), nv = step(v);
    if (nu == nv) {
      *xa = u;
      *xb = v;
      return 1;
    }
    u = nu;
    v = nv;
  }
}

static void *worker(void *arg) {
  uint64_t s = seed * 1000003ull + (uint64_t)(uintptr_t)arg;
  const uint64_t mask = (1ull << DP_BITS) - 1;
  while (!done) {
    uint64_t start = step(splitmix(&s)), x = start, n = 0;
    while ((x & mask) != 0 && n < MAX_CHAIN) x = step(x), n++;
    if (n >= MAX_CHAIN) continue;  // a cycle without a distinguished point: drop it
    struct point p = {x, start, n};
    pthread_mutex_lock(&lock);
    uint64_t i = (x >> 7) & ((1ull << TABLE_BITS) - 1);
    while (table[i].length != 0 && table[i].dp != x) i = (i + 1) & ((1ull << TABLE_BITS) - 1);
    struct point q = table[i];
    if (q.length == 0) table[i] = p;
    pthread_mutex_unlock(&lock);
    if (q.length != 0 && q.start != start) {
      uint64_t xa, xb;
      if (resolve(p, q, &xa, &xb)) {
        pthread_mutex_lock(&lock);
        if (!done) {
          done = 1;
          char ma[sizeof(PREFIX) + 16], mb[sizeof(PREFIX) + 16];
          message(xa, ma);
          message(xb, mb);
          ma[sizeof(ma) - 1] = mb[sizeof(mb) - 1] = 0;
          printf("%s\n%s\n%016" PRIx64 "\n", ma, mb, step(xa) << (64 - WIDTH));
          fflush(stdout);
        }
        pthread_mutex_unlock(&lock);
      }
    }
  }
  return NULL;
}

int main(int argc, char **argv) {
  if (argc > 1) threads = atoi(argv[1]);
  if (argc > 2) seed = strtoull(argv[2], NULL, 10);
  SHA256_Init(&initial);
  table = calloc(1ull << TABLE_BITS, sizeof(struct point));
  if (!table || threads < 1) return 2;
  pthread_t t[64];
  for (int i = 0; i < threads && i < 64; i++) pthread_create(&t[i], NULL, worker, (void *)(uintptr_t)i);
  for (int i = 0; i < threads && i < 64; i++) pthread_join(t[i], NULL);
  return 0;
}
