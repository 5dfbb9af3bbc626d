/* pthread_exit: a thread that ends with pthread_exit() and one cancelled
 * with pthread_cancel(). glibc dlopens libgcc_s.so.1 to unwind their stacks
 * and aborts if it cannot ("libgcc_s.so.1 must be installed for
 * pthread_exit to work"); ldd does not list it, so this checks that the test
 * VM's image carries it (kernel suite: it runs in the VM on every kernel). */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static int token;

static void *exits(void *arg)
{
    pthread_exit(arg);
    return NULL;
}

static void *waits(void *arg)
{
    (void)arg;
    for (;;)
        pause(); /* a cancellation point */
    return NULL;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("1..2\n");
    pthread_t t;
    void *ret = NULL;
    int ok = pthread_create(&t, NULL, exits, &token) == 0 && pthread_join(t, &ret) == 0 &&
             ret == (void *)&token;
    printf("%sok 1 - pthread_exit ends a thread with its value\n", ok ? "" : "not ");
    int ok2 = pthread_create(&t, NULL, waits, NULL) == 0 && pthread_cancel(t) == 0 &&
              pthread_join(t, &ret) == 0 && ret == PTHREAD_CANCELED;
    printf("%sok 2 - pthread_cancel ends a blocked thread\n", ok2 ? "" : "not ");
    return ok && ok2 ? 0 : 1;
}
