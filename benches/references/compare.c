/*
 * The reference side of benches/references.sh: libsodium and libargon2 for Argon2id,
 * libxcrypt's crypt_r for bcrypt, sha512-crypt and md5-crypt, and OpenSSL 3 for digests.
 *
 *   compare sodium-hash M T PASSWORD            print a crypto_pwhash_str_alg string (p=1)
 *   compare sodium-hash-time SAMPLES M T PASSWORD
 *   compare sodium-verify SAMPLES PASSWORD STORED
 *   compare sodium-verify-stdin STORED          one verify of standard input; exit 0 or 1
 *   compare argon2-hash M T P PASSWORD SALT     print argon2id_hash_encoded at a fixed salt
 *   compare argon2-verify SAMPLES PASSWORD STORED
 *   compare crypt-hash SETTING PASSWORD         print crypt_r(PASSWORD, SETTING)
 *   compare crypt-verify SAMPLES PASSWORD STORED
 *   compare digest md5|sha1|sha256 BYTES SAMPLES
 *   compare digest-verify md5|sha1|sha256 SAMPLES PASSWORD HEX
 *
 * Timed commands run one untimed warm-up, then SAMPLES samples; a sample times a batch of
 * operations sized so that it lasts at least 2 ms. Each prints JSON objects, one a line, with the
 * median and the minimum nanoseconds per operation, as benches/reference_timing.rs does for
 * pwmigrate; `digest` prints the digest in hex on a line of its own first.
 * Each verify returns valid or invalid the way the library reports it; crypt results are
 * compared with a constant-time loop, as a careful caller would.
 *
 * Build: gcc -O2 -o compare compare.c -lsodium -largon2 -lcrypt -lcrypto
 */
#include <argon2.h>
#include <crypt.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MIN_SAMPLE_NS 2e6

typedef int (*operation_fn)(void *context);

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int compare_doubles(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Times `operation` and prints {"verdict": ..., "median_ns": ..., "min_ns": ...}. The verdict is
 * the warm-up's result: "valid" for 0, "invalid" otherwise. */
static int time_operation(long samples, operation_fn operation, void *context) {
    if (samples < 1 || samples > 100000) {
        fprintf(stderr, "compare: SAMPLES must be 1 to 100000\n");
        return 2;
    }
    double started = now_ns();
    int verdict = operation(context);
    double single = now_ns() - started;
    long batch = (long)(MIN_SAMPLE_NS / (single > 1 ? single : 1)) + 1;
    double *times = malloc(sizeof(double) * (size_t)samples);
    if (times == NULL) {
        return 2;
    }
    for (long i = 0; i < samples; i++) {
        double start = now_ns();
        for (long j = 0; j < batch; j++) {
            operation(context);
        }
        times[i] = (now_ns() - start) / (double)batch;
    }
    qsort(times, (size_t)samples, sizeof(double), compare_doubles);
    printf("{\"verdict\": \"%s\", \"median_ns\": %.1f, \"min_ns\": %.1f}\n",
           verdict == 0 ? "valid" : "invalid", times[samples / 2], times[0]);
    free(times);
    return 0;
}

struct verify_context {
    const char *password;
    const char *stored;
    struct crypt_data *crypt;
};

static int sodium_verify(void *raw) {
    struct verify_context *c = raw;
    return crypto_pwhash_str_verify(c->stored, c->password, strlen(c->password));
}

static int argon2_verify_op(void *raw) {
    struct verify_context *c = raw;
    return argon2id_verify(c->stored, c->password, strlen(c->password));
}

static int crypt_verify(void *raw) {
    struct verify_context *c = raw;
    const char *out = crypt_r(c->password, c->stored, c->crypt);
    if (out == NULL || out[0] == '*') {
        return -1;
    }
    size_t len = strlen(c->stored);
    if (strlen(out) != len) {
        return -1;
    }
    unsigned char diff = 0;
    for (size_t i = 0; i < len; i++) {
        diff |= (unsigned char)(out[i] ^ c->stored[i]);
    }
    return diff == 0 ? 0 : -1;
}

struct sodium_hash_context {
    const char *password;
    unsigned long long opslimit;
    size_t memlimit;
    char out[crypto_pwhash_STRBYTES];
};

static int sodium_hash(void *raw) {
    struct sodium_hash_context *c = raw;
    return crypto_pwhash_str_alg(c->out, c->password, strlen(c->password), c->opslimit,
                                 c->memlimit, crypto_pwhash_ALG_ARGON2ID13);
}

struct digest_context {
    EVP_MD *md;
    const unsigned char *input;
    size_t len;
    unsigned char expected[EVP_MAX_MD_SIZE];
    const char *hex;
};

static int digest_op(void *raw) {
    struct digest_context *c = raw;
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int out_len = 0;
    return EVP_Digest(c->input, c->len, out, &out_len, c->md, NULL) == 1 ? 0 : -1;
}

static int hex_value(char ch) {
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

/* Decodes the stored hex on every call, then digests and compares, as a verify of a bare
 * digest does. */
static int digest_verify_op(void *raw) {
    struct digest_context *c = raw;
    unsigned char stored[EVP_MAX_MD_SIZE];
    size_t hex_len = strlen(c->hex);
    size_t md_len = (size_t)EVP_MD_get_size(c->md);
    if (hex_len != 2 * md_len) {
        return -1;
    }
    for (size_t i = 0; i < md_len; i++) {
        int high = hex_value(c->hex[2 * i]), low = hex_value(c->hex[2 * i + 1]);
        if (high < 0 || low < 0) return -1;
        stored[i] = (unsigned char)(high << 4 | low);
    }
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int out_len = 0;
    if (EVP_Digest(c->input, c->len, out, &out_len, c->md, NULL) != 1) {
        return -1;
    }
    return CRYPTO_memcmp(out, stored, md_len) == 0 ? 0 : -1;
}

static EVP_MD *fetch_digest(const char *name) {
    const char *openssl_name = strcmp(name, "md5") == 0      ? "MD5"
                               : strcmp(name, "sha1") == 0   ? "SHA1"
                               : strcmp(name, "sha256") == 0 ? "SHA256"
                                                             : NULL;
    if (openssl_name == NULL) {
        fprintf(stderr, "compare: unknown digest %s: use md5, sha1 or sha256\n", name);
        return NULL;
    }
    /* Fetched once, so the timing leaves out OpenSSL 3's per-call implicit fetch. */
    return EVP_MD_fetch(NULL, openssl_name, NULL);
}

/* The buffer both sides digest: byte i is (i * 131 + 7) mod 256. */
static unsigned char *bulk_input(size_t len) {
    unsigned char *input = malloc(len ? len : 1);
    for (size_t i = 0; input != NULL && i < len; i++) {
        input[i] = (unsigned char)(i * 131 + 7);
    }
    return input;
}

static int run_digest(const char *name, long bytes, long samples) {
    EVP_MD *md = fetch_digest(name);
    unsigned char *input = bulk_input((size_t)bytes);
    if (md == NULL || input == NULL || bytes < 0) {
        return 2;
    }
    struct digest_context c = {.md = md, .input = input, .len = (size_t)bytes};
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int out_len = 0;
    EVP_Digest(input, (size_t)bytes, out, &out_len, md, NULL);
    printf("{\"digest\": \"");
    for (unsigned int i = 0; i < out_len; i++) {
        printf("%02x", out[i]);
    }
    printf("\"}\n");
    int status = time_operation(samples, digest_op, &c);
    EVP_MD_free(md);
    free(input);
    return status;
}

/* Reads standard input and removes one trailing "\n" or "\r\n", as pwmigrate does. */
static char *read_stdin_password(void) {
    static char buffer[4100];
    size_t len = fread(buffer, 1, sizeof(buffer) - 1, stdin);
    buffer[len] = '\0';
    if (len > 0 && buffer[len - 1] == '\n') buffer[--len] = '\0';
    if (len > 0 && buffer[len - 1] == '\r') buffer[--len] = '\0';
    return buffer;
}

static int usage(void) {
    fprintf(stderr, "compare: unknown command or wrong arguments; see the comment at the top "
                    "of benches/references/compare.c\n");
    return 2;
}

int main(int argc, char **argv) {
    if (sodium_init() < 0) {
        fprintf(stderr, "compare: sodium_init failed\n");
        return 2;
    }
    if (argc < 2) {
        return usage();
    }
    const char *command = argv[1];
    static struct crypt_data crypt_state;
    struct verify_context verify = {.crypt = &crypt_state};

    if (strcmp(command, "sodium-hash") == 0 && argc == 5) {
        struct sodium_hash_context c = {.password = argv[4],
                                        .opslimit = strtoull(argv[3], NULL, 10),
                                        .memlimit = strtoull(argv[2], NULL, 10) * 1024};
        if (sodium_hash(&c) != 0) return 2;
        printf("%s\n", c.out);
        return 0;
    }
    if (strcmp(command, "sodium-hash-time") == 0 && argc == 6) {
        struct sodium_hash_context c = {.password = argv[5],
                                        .opslimit = strtoull(argv[4], NULL, 10),
                                        .memlimit = strtoull(argv[3], NULL, 10) * 1024};
        return time_operation(strtol(argv[2], NULL, 10), sodium_hash, &c);
    }
    if (strcmp(command, "sodium-verify-stdin") == 0 && argc == 3) {
        const char *password = read_stdin_password();
        return crypto_pwhash_str_verify(argv[2], password, strlen(password)) == 0 ? 0 : 1;
    }
    if (strcmp(command, "argon2-hash") == 0 && argc == 7) {
        uint32_t m = (uint32_t)strtoul(argv[2], NULL, 10), t = (uint32_t)strtoul(argv[3], NULL, 10),
                 p = (uint32_t)strtoul(argv[4], NULL, 10);
        const char *password = argv[5], *salt = argv[6];
        char encoded[512];
        int status = argon2id_hash_encoded(t, m, p, password, strlen(password), salt,
                                           strlen(salt), 32, encoded, sizeof(encoded));
        if (status != ARGON2_OK) {
            fprintf(stderr, "compare: %s\n", argon2_error_message(status));
            return 2;
        }
        printf("%s\n", encoded);
        return 0;
    }
    if (strcmp(command, "crypt-hash") == 0 && argc == 4) {
        const char *out = crypt_r(argv[3], argv[2], &crypt_state);
        if (out == NULL || out[0] == '*') return 2;
        printf("%s\n", out);
        return 0;
    }
    if (argc == 5 && (strcmp(command, "sodium-verify") == 0 || strcmp(command, "argon2-verify") == 0 ||
                      strcmp(command, "crypt-verify") == 0)) {
        verify.password = argv[3];
        verify.stored = argv[4];
        operation_fn op = command[0] == 's' ? sodium_verify
                          : command[0] == 'a' ? argon2_verify_op
                                              : crypt_verify;
        return time_operation(strtol(argv[2], NULL, 10), op, &verify);
    }
    if (strcmp(command, "digest") == 0 && argc == 5) {
        return run_digest(argv[2], strtol(argv[3], NULL, 10), strtol(argv[4], NULL, 10));
    }
    if (strcmp(command, "digest-verify") == 0 && argc == 6) {
        EVP_MD *md = fetch_digest(argv[2]);
        if (md == NULL) return 2;
        struct digest_context c = {.md = md,
                                   .input = (const unsigned char *)argv[4],
                                   .len = strlen(argv[4]),
                                   .hex = argv[5]};
        int status = time_operation(strtol(argv[3], NULL, 10), digest_verify_op, &c);
        EVP_MD_free(md);
        return status;
    }
    return usage();
}
