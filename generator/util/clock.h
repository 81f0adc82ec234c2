/* clock.h: time for durations and deadlines, read from the monotonic
 * clock (the wall clock jumps when NTP or an administrator sets it, and a
 * timeout measured on it would then fire early or never). */
#ifndef PHARE_CLOCK_H
#define PHARE_CLOCK_H

#include <time.h>

/* Seconds on CLOCK_MONOTONIC: only differences between two calls mean
 * anything. */
double clock_now(void);
/* The time `seconds` (>= 0) from now on clock id, normalised (tv_nsec
 * below 1e9): the absolute time pthread_cond_timedwait wants, on the clock
 * its condition variable was made with (CLOCK_REALTIME unless set with
 * pthread_condattr_setclock). */
struct timespec clock_deadline(clockid_t id, double seconds);

#endif
