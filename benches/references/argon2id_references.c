/*
 * Times one Argon2id hash per request with libsodium's crypto_pwhash and with libargon2, for
 * compare_argon2.py.
 *
 * Usage: argon2id_references PASSWORD SALT_HEX
 * Parameters: m=19456 KiB, t=2, p=1, 32-byte output, version 0x13; the salt must be 16 bytes,
 * the length crypto_pwhash requires. Prints "ready", then replies to each input line "sodium" or
 * "libargon2" with "<nanoseconds> <output hex> <user-CPU microseconds> <system-CPU
 * microseconds>", the last two from getrusage(RUSAGE_THREAD).
 *
 * Build: cc -O2 -o argon2id_references argon2id_references.c -lsodium -largon2
 */
#define _GNU_SOURCE /* RUSAGE_THREAD */
#include <argon2.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

enum { SALT_BYTES = 16, OUTPUT_BYTES = 32, MEMORY_KIB = 19456, PASSES = 2 };

static int parse_hex(const char *hex, unsigned char *out, size_t len) {
    if (strlen(hex) != 2 * len) {
        return -1;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned int byte;
        if (sscanf(hex + 2 * i, "%2x", &byte) != 1) {
            return -1;
        }
        out[i] = (unsigned char)byte;
    }
    return 0;
}

static long long elapsed_ns(const struct timespec *start, const struct timespec *end) {
    return (long long)(end->tv_sec - start->tv_sec) * 1000000000LL +
           (end->tv_nsec - start->tv_nsec);
}

static long long cpu_us(const struct timeval *start, const struct timeval *end) {
    return (long long)(end->tv_sec - start->tv_sec) * 1000000LL + (end->tv_usec - start->tv_usec);
}

int main(int argc, char **argv) {
    unsigned char salt[SALT_BYTES];
    if (argc != 3 || parse_hex(argv[2], salt, SALT_BYTES) != 0) {
        fprintf(stderr, "usage: %s PASSWORD SALT_HEX (16 bytes)\n", argv[0]);
        return 2;
    }
    if (sodium_init() < 0) {
        fprintf(stderr, "argon2id_references: sodium_init failed\n");
        return 1;
    }
    const char *password = argv[1];
    size_t password_len = strlen(password);

    printf("ready\n");
    fflush(stdout);
    char line[64];
    while (fgets(line, sizeof line, stdin) != NULL) {
        unsigned char out[OUTPUT_BYTES];
        struct timespec start, end;
        struct rusage usage_start, usage_end;
        int failed;
        getrusage(RUSAGE_THREAD, &usage_start);
        clock_gettime(CLOCK_MONOTONIC, &start);
        if (strncmp(line, "sodium", 6) == 0) {
            failed = crypto_pwhash(out, OUTPUT_BYTES, password, password_len, salt, PASSES,
                                   (size_t)MEMORY_KIB * 1024, crypto_pwhash_ALG_ARGON2ID13);
        } else if (strncmp(line, "libargon2", 9) == 0) {
            failed = argon2id_hash_raw(PASSES, MEMORY_KIB, 1, password, password_len, salt,
                                       SALT_BYTES, out, OUTPUT_BYTES) != ARGON2_OK;
        } else {
            fprintf(stderr, "argon2id_references: unknown request %s", line);
            return 2;
        }
        clock_gettime(CLOCK_MONOTONIC, &end);
        getrusage(RUSAGE_THREAD, &usage_end);
        if (failed) {
            fprintf(stderr, "argon2id_references: hashing failed\n");
            return 1;
        }
        printf("%lld ", elapsed_ns(&start, &end));
        for (int i = 0; i < OUTPUT_BYTES; i++) {
            printf("%02x", out[i]);
        }
        printf(" %lld %lld\n", cpu_us(&usage_start.ru_utime, &usage_end.ru_utime),
               cpu_us(&usage_start.ru_stime, &usage_end.ru_stime));
        fflush(stdout);
    }
    return 0;
}
