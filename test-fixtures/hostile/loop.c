/* Hostile fixture: never returns, never calls the host. The step's time limit must stop it. */
int main(void) {
  volatile unsigned long spins = 0;
  for (;;) spins++;
}
