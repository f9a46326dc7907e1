/*
 * An independent Modbus RTU slave for the interop tests: libmodbus (Debian's libmodbus-dev)
 * serving a register image on a serial device (a pty pair from socat in the tests), with the
 * misbehaviours a field engineer meets on real devices. Built by the tests with gcc.
 *
 *   rtu_slave DEVICE UNIT MAPFILE [--delay MS] [--refuse-fc6] [--refuse-read ADDRESS COUNT]
 *             [--reject-writes CODE]
 *
 * MAPFILE: "START COUNT" then COUNT register values (decimal, whitespace separated).
 * --delay          every answer goes out MS milliseconds late (a slow device)
 * --refuse-fc6     function 6 answers exception 1 (the device takes single writes only as 16)
 * --refuse-read    a read touching [ADDRESS, ADDRESS+COUNT) answers exception 2
 * --reject-writes  every write answers exception CODE (a converter in local control)
 * Prints "ready" once the device is open, and "write ADDRESS V1 V2 ..." for every write it took;
 * libmodbus keeps its defaults otherwise (0.5 s response and byte timeouts, frames for other
 * units ignored together with the answer that follows them).
 */
#include <errno.h>
#include <modbus.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int word(const uint8_t *frame, int at)
{
    return (frame[at] << 8) | frame[at + 1];
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: rtu_slave DEVICE UNIT MAPFILE [options]\n");
        return 2;
    }

    int delay_ms = 0, refuse_fc6 = 0, reject_code = 0, refuse_from = -1, refuse_count = 0;
    for (int i = 4; i < argc; i++) {
        if (strcmp(argv[i], "--delay") == 0 && i + 1 < argc) {
            delay_ms = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--refuse-fc6") == 0) {
            refuse_fc6 = 1;
        } else if (strcmp(argv[i], "--refuse-read") == 0 && i + 2 < argc) {
            refuse_from = atoi(argv[++i]);
            refuse_count = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--reject-writes") == 0 && i + 1 < argc) {
            reject_code = atoi(argv[++i]);
        } else {
            fprintf(stderr, "unknown option %s\n", argv[i]);
            return 2;
        }
    }

    FILE *map = fopen(argv[3], "r");
    int start, count;
    if (map == NULL || fscanf(map, "%d %d", &start, &count) != 2 || count < 1) {
        fprintf(stderr, "bad map file %s\n", argv[3]);
        return 2;
    }

    modbus_mapping_t *mapping = modbus_mapping_new_start_address(0, 0, 0, 0, start, count, 0, 0);
    for (int i = 0; i < count; i++) {
        int value;
        if (fscanf(map, "%d", &value) != 1) {
            fprintf(stderr, "map file %s ends early\n", argv[3]);
            return 2;
        }
        mapping->tab_registers[i] = (uint16_t)value;
    }
    fclose(map);

    modbus_t *ctx = modbus_new_rtu(argv[1], 19200, 'E', 8, 1);
    if (ctx == NULL || modbus_set_slave(ctx, atoi(argv[2])) != 0 || modbus_connect(ctx) != 0) {
        fprintf(stderr, "cannot open %s: %s\n", argv[1], modbus_strerror(errno));
        return 1;
    }

    printf("ready\n");
    fflush(stdout);
    uint8_t req[MODBUS_RTU_MAX_ADU_LENGTH];
    for (;;) {
        int rc = modbus_receive(ctx, req);
        if (rc <= 0) {
            /* 0: a frame for another unit (or its answer); -1: a bad frame or a timeout. */
            if (rc < 0 && errno == EBADF) {
                return 1;
            }
            continue;
        }

        int function = req[1];
        int address = word(req, 2);
        if (delay_ms > 0) {
            usleep(delay_ms * 1000);
        }

        if ((function == 6 || function == 16) && reject_code != 0) {
            modbus_reply_exception(ctx, req, reject_code);
        } else if (function == 6 && refuse_fc6) {
            modbus_reply_exception(ctx, req, MODBUS_EXCEPTION_ILLEGAL_FUNCTION);
        } else if (function == 3 && refuse_from >= 0 && address < refuse_from + refuse_count
                   && address + word(req, 4) > refuse_from) {
            modbus_reply_exception(ctx, req, MODBUS_EXCEPTION_ILLEGAL_DATA_ADDRESS);
        } else if (modbus_reply(ctx, req, rc, mapping) > 0 && (function == 6 || function == 16)) {
            int n = function == 6 ? 1 : word(req, 4);
            if (address < start || address + n > start + count) {
                continue; /* libmodbus answered exception 2 */
            }
            printf("write %d", address);
            for (int i = 0; i < n; i++) {
                printf(" %d", mapping->tab_registers[address - start + i]);
            }
            printf("\n");
            fflush(stdout);
        }
    }
}
