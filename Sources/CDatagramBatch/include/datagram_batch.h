#ifndef TACK_DATAGRAM_BATCH_H
#define TACK_DATAGRAM_BATCH_H

#include <stddef.h>
#include <sys/socket.h>

/*
 * A batch of UDP datagrams for one socket: receive buffers, reply buffers, peer addresses and
 * the recvmmsg/sendmmsg headers, allocated once and reused for every batch. Swift's Glibc
 * module does not expose recvmmsg/sendmmsg (they need _GNU_SOURCE), so the system-call
 * structures stay on this side; the Swift UDP loop sees slots and lengths.
 */
typedef struct tack_datagram_batch tack_datagram_batch;

/* A batch of `count` datagrams of at most `query_slot` octets in and `reply_slot` out; NULL
 * when out of memory. */
tack_datagram_batch *tack_batch_create(int count, size_t query_slot, size_t reply_slot);
void tack_batch_destroy(tack_datagram_batch *batch);

/* Blocks for one datagram (up to the socket's receive timeout), then takes what else is queued.
 * Returns how many were received, or -errno. Clears the queued replies. */
int tack_batch_receive(tack_datagram_batch *batch, int fd);

/* Datagram `i` of the last receive: its octets and length; 1 in *cut when it was longer than
 * the slot (the kernel cut it). */
const unsigned char *tack_batch_query(const tack_datagram_batch *batch, int i, size_t *length, int *cut);
/* The sender of datagram `i` (a sockaddr_in or sockaddr_in6). */
const struct sockaddr *tack_batch_peer(const tack_datagram_batch *batch, int i);

/* Where the next reply goes (reply_slot octets), and its capacity. */
unsigned char *tack_batch_next_reply(tack_datagram_batch *batch, size_t *capacity);
/* Queues the reply written at tack_batch_next_reply, `length` octets, to the sender of `i`. */
void tack_batch_queue_reply(tack_datagram_batch *batch, int i, size_t length);
/* Sends every queued reply (sendmmsg, retried on EINTR; a reply the kernel refuses is
 * dropped and the rest still go). Returns how many were sent. */
int tack_batch_send(tack_datagram_batch *batch, int fd);

#endif
