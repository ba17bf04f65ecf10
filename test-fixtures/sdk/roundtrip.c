/* Round-trip test module: reads /in/in.arrow batch by batch and writes every batch back to
 * /out/out.arrow unchanged. Exercises the SDK's reader and writer end to end. */
#include "quiver.h"

int main(void) {
  qv_error err;
  qv_reader *reader;
  qv_writer *writer;
  if (qv_read_input("in", &reader, &err) != QV_OK) qv_fail("%s", err.message);
  if (qv_write_output("out", qv_reader_schema(reader), &writer, &err) != QV_OK) {
    qv_fail("%s", err.message);
  }
  for (;;) {
    qv_batch batch;
    bool end;
    if (qv_reader_next(reader, &batch, &end, &err) != QV_OK) qv_fail("%s", err.message);
    if (end) break;
    int rc = qv_writer_write(writer, &batch, &err);
    qv_batch_release(&batch);
    if (rc != QV_OK) qv_fail("%s", err.message);
  }
  if (qv_writer_close(writer, &err) != QV_OK) qv_fail("%s", err.message);
  qv_reader_close(reader);
  return 0;
}
