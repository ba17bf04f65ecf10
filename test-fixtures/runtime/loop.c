/* Test fixture: never returns (a step that loops forever must time out). */
int main(void) {
  volatile unsigned long spins = 0;
  for (;;) spins++;
}
