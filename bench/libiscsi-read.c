/*
 * libiscsi-read: a neutral READ(10) load generator for iSCSI targets, built on libiscsi's async API.
 * Keeps QD commands of BLOCKS blocks in flight for SECONDS, walking the LUN sequentially, and prints
 * one JSON line: {"bytes":..,"qd":..,"iops":..,"mbps":..,"p50_us":..,"p99_us":..}.
 * Build (done by bench/iscsi-read.mjs into a temp dir): cc -O2 -o libiscsi-read libiscsi-read.c -liscsi
 */
#include <iscsi/iscsi.h>
#include <iscsi/scsi-lowlevel.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define HIST 100000 /* latency histogram: 1 us buckets up to 100 ms */

struct run {
	struct iscsi_context *iscsi;
	int lun, failed;
	uint32_t block_size, last_lba, blocks, cursor;
	long completed, outstanding;
	double deadline;
	uint32_t *hist;
};

struct slot { struct run *run; double started; };

static double seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void issue(struct run *r, struct slot *s);

static void done(struct iscsi_context *iscsi, int status, void *command_data, void *private_data)
{
	struct slot *s = private_data;
	struct run *r = s->run;
	struct scsi_task *task = command_data;
	double us = (seconds() - s->started) * 1e6;

	if (status != SCSI_STATUS_GOOD) {
		fprintf(stderr, "READ(10) failed: %s\n", iscsi_get_error(iscsi));
		r->failed = 1;
	}
	r->hist[us < HIST - 1 ? (int)us : HIST - 1]++;
	r->completed++;
	r->outstanding--;
	scsi_free_scsi_task(task);
	if (!r->failed && seconds() < r->deadline)
		issue(r, s);
	else
		free(s);
}

static void issue(struct run *r, struct slot *s)
{
	if (r->cursor + r->blocks > r->last_lba + 1)
		r->cursor = 0;
	s->started = seconds();
	if (iscsi_read10_task(r->iscsi, r->lun, r->cursor, r->blocks * r->block_size, r->block_size,
			      0, 0, 0, 0, 0, done, s) == NULL) {
		fprintf(stderr, "cannot queue READ(10): %s\n", iscsi_get_error(r->iscsi));
		r->failed = 1;
		free(s);
		return;
	}
	r->cursor += r->blocks;
	r->outstanding++;
}

static double percentile(const uint32_t *hist, long n, double p)
{
	long want = (long)(p * (double)n), seen = 0;
	for (int i = 0; i < HIST; i++) {
		seen += hist[i];
		if (seen > want)
			return i + 0.5;
	}
	return HIST;
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: libiscsi-read ISCSI-URL BLOCKS QD SECONDS\n");
		return 2;
	}
	struct run r = { 0 };
	r.hist = calloc(HIST, sizeof *r.hist);
	r.blocks = (uint32_t)atoi(argv[2]);
	int qd = atoi(argv[3]);
	double duration = atof(argv[4]);

	r.iscsi = iscsi_create_context("iqn.2026-11.org.openimapi:bench");
	struct iscsi_url *url = iscsi_parse_full_url(r.iscsi, argv[1]);
	if (url == NULL) {
		fprintf(stderr, "bad URL: %s\n", iscsi_get_error(r.iscsi));
		return 2;
	}
	iscsi_set_targetname(r.iscsi, url->target);
	iscsi_set_session_type(r.iscsi, ISCSI_SESSION_NORMAL);
	iscsi_set_header_digest(r.iscsi, ISCSI_HEADER_DIGEST_NONE);
	if (iscsi_full_connect_sync(r.iscsi, url->portal, url->lun) != 0) {
		fprintf(stderr, "login failed: %s\n", iscsi_get_error(r.iscsi));
		return 1;
	}
	r.lun = url->lun;
	struct scsi_task *cap = iscsi_readcapacity10_sync(r.iscsi, r.lun, 0, 0);
	struct scsi_readcapacity10 *rc = cap && cap->status == SCSI_STATUS_GOOD ? scsi_datain_unmarshall(cap) : NULL;
	if (rc == NULL) {
		fprintf(stderr, "READ CAPACITY(10) failed: %s\n", iscsi_get_error(r.iscsi));
		return 1;
	}
	r.block_size = rc->block_size;
	r.last_lba = rc->lba;
	scsi_free_scsi_task(cap);

	double t0 = seconds();
	r.deadline = t0 + duration;
	for (int i = 0; i < qd; i++) {
		struct slot *s = malloc(sizeof *s);
		s->run = &r;
		issue(&r, s);
	}
	while (r.outstanding > 0 && !r.failed) {
		struct pollfd pfd = { .fd = iscsi_get_fd(r.iscsi), .events = iscsi_which_events(r.iscsi) };
		if (poll(&pfd, 1, 1000) < 0 || iscsi_service(r.iscsi, pfd.revents) < 0) {
			fprintf(stderr, "connection failed: %s\n", iscsi_get_error(r.iscsi));
			return 1;
		}
	}
	double elapsed = seconds() - t0;
	double bytes = (double)r.completed * r.blocks * r.block_size;
	printf("{\"bytes\":%u,\"qd\":%d,\"iops\":%.0f,\"mbps\":%.1f,\"p50_us\":%.1f,\"p99_us\":%.1f}\n",
	       r.blocks * r.block_size, qd, r.completed / elapsed, bytes / elapsed / 1e6,
	       percentile(r.hist, r.completed, 0.50), percentile(r.hist, r.completed, 0.99));
	iscsi_logout_sync(r.iscsi);
	iscsi_destroy_context(r.iscsi);
	iscsi_destroy_url(url);
	return r.failed;
}
