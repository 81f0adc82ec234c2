/* clock.c: the monotonic clock in seconds, and deadlines for condition
 * variables. */
#include "clock.h"

double clock_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct timespec clock_deadline(clockid_t id, double seconds)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	time_t whole = (time_t)seconds;
	long nsec = (long)((seconds - (double)whole) * 1e9);
	ts.tv_sec += whole;
	ts.tv_nsec += nsec;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return ts;
}
