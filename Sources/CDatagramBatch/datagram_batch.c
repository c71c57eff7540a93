#define _GNU_SOURCE
#include "datagram_batch.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

struct tack_datagram_batch {
    int count;
    size_t query_slot, reply_slot;
    unsigned char *queries, *replies;
    struct sockaddr_storage *peers;
    struct iovec *in_vecs, *out_vecs;
    struct mmsghdr *in_msgs, *out_msgs;
    int queued;
};

tack_datagram_batch *tack_batch_create(int count, size_t query_slot, size_t reply_slot)
{
    tack_datagram_batch *b = calloc(1, sizeof *b);
    if (!b) return NULL;
    b->count = count;
    b->query_slot = query_slot;
    b->reply_slot = reply_slot;
    b->queries = malloc((size_t)count * query_slot);
    b->replies = malloc((size_t)count * reply_slot);
    b->peers = calloc((size_t)count, sizeof *b->peers);
    b->in_vecs = calloc((size_t)count, sizeof *b->in_vecs);
    b->out_vecs = calloc((size_t)count, sizeof *b->out_vecs);
    b->in_msgs = calloc((size_t)count, sizeof *b->in_msgs);
    b->out_msgs = calloc((size_t)count, sizeof *b->out_msgs);
    if (!b->queries || !b->replies || !b->peers || !b->in_vecs || !b->out_vecs || !b->in_msgs || !b->out_msgs) {
        tack_batch_destroy(b);
        return NULL;
    }
    for (int i = 0; i < count; i++) {
        b->in_vecs[i].iov_base = b->queries + (size_t)i * query_slot;
        b->in_vecs[i].iov_len = query_slot;
        b->out_vecs[i].iov_base = b->replies + (size_t)i * reply_slot;
    }
    return b;
}

void tack_batch_destroy(tack_datagram_batch *b)
{
    if (!b) return;
    free(b->queries); free(b->replies); free(b->peers);
    free(b->in_vecs); free(b->out_vecs); free(b->in_msgs); free(b->out_msgs);
    free(b);
}

int tack_batch_receive(tack_datagram_batch *b, int fd)
{
    b->queued = 0;
    for (int i = 0; i < b->count; i++) {
        struct msghdr *h = &b->in_msgs[i].msg_hdr;
        memset(h, 0, sizeof *h);
        h->msg_name = &b->peers[i];
        h->msg_namelen = sizeof b->peers[i];
        h->msg_iov = &b->in_vecs[i];
        h->msg_iovlen = 1;
    }
    int n = recvmmsg(fd, b->in_msgs, (unsigned)b->count, MSG_WAITFORONE, NULL);
    return n < 0 ? -errno : n;
}

const unsigned char *tack_batch_query(const tack_datagram_batch *b, int i, size_t *length, int *cut)
{
    *length = b->in_msgs[i].msg_len;
    *cut = (b->in_msgs[i].msg_hdr.msg_flags & MSG_TRUNC) != 0;
    return b->queries + (size_t)i * b->query_slot;
}

const struct sockaddr *tack_batch_peer(const tack_datagram_batch *b, int i)
{
    return (const struct sockaddr *)&b->peers[i];
}

unsigned char *tack_batch_next_reply(tack_datagram_batch *b, size_t *capacity)
{
    *capacity = b->reply_slot;
    return b->replies + (size_t)b->queued * b->reply_slot;
}

void tack_batch_queue_reply(tack_datagram_batch *b, int i, size_t length)
{
    int m = b->queued++;
    b->out_vecs[m].iov_len = length;
    struct msghdr *h = &b->out_msgs[m].msg_hdr;
    memset(h, 0, sizeof *h);
    h->msg_name = &b->peers[i];
    h->msg_namelen = b->in_msgs[i].msg_hdr.msg_namelen;
    h->msg_iov = &b->out_vecs[m];
    h->msg_iovlen = 1;
}

int tack_batch_send(tack_datagram_batch *b, int fd)
{
    int sent = 0, off = 0;
    while (off < b->queued) {
        int s = sendmmsg(fd, b->out_msgs + off, (unsigned)(b->queued - off), 0);
        if (s < 0) {
            if (errno == EINTR) continue;
            off++;            /* this reply cannot go (unreachable peer, full buffer): drop it */
            continue;
        }
        off += s;
        sent += s;
    }
    b->queued = 0;
    return sent;
}
