/*
** measure.c — run a command and say what it cost.
**
**   measure OUT COMMAND [ARG...]
**
** Runs COMMAND with its standard output sent to the file OUT (standard
** error passes through), waits, and prints one line:
**
**   STATUS WALL_SECONDS USER_SECONDS SYS_SECONDS PEAK_KB
**
** PEAK_KB is the child's peak resident set size (getrusage's ru_maxrss of
** the one child waited for), so nothing else needs installing to measure.
*/
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double seconds(struct timeval tv) { return (double)tv.tv_sec + (double)tv.tv_usec / 1e6; }

int main(int argc, char **argv) {
  if (argc < 3) {
    fputs("usage: measure OUT COMMAND [ARG...]\n", stderr);
    return 2;
  }
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  pid_t pid = fork();
  if (pid < 0) { perror("fork"); return 2; }
  if (pid == 0) {
    int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || dup2(fd, 1) < 0) { perror(argv[1]); _exit(127); }
    close(fd);
    execvp(argv[2], argv + 2);
    perror(argv[2]);
    _exit(127);
  }
  int status;
  struct rusage ru;
  if (wait4(pid, &status, 0, &ru) < 0) { perror("wait4"); return 2; }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double wall = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  printf("%d %.3f %.3f %.3f %ld\n", WIFEXITED(status) ? WEXITSTATUS(status) : 128,
         wall, seconds(ru.ru_utime), seconds(ru.ru_stime), ru.ru_maxrss);
  return 0;
}
