// Package quiver is the Go kit for Quiver step modules: a module implements [Module] over
// arrow-go's records, calls [Register] from its init, and the package exports the ABI 2 reactor
// entry points (modules/sdk/ABI.md §11) with //go:wasmexport. Build it as a WASI reactor:
//
//	GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o scale.wasm .
//
// Reading and writing Arrow IPC is arrow-go's ipc package; this file is only the ABI: memory
// handed to the host, the status codes, and the error line on stderr.
package quiver

import (
	"fmt"
	"os"
	"unsafe"
)

// Status codes of qv_begin, qv_push and qv_finish (ABI.md §11.1).
const (
	statusContinue = 0
	statusDone     = 1
	statusFailed   = 2
)

// blocks holds every buffer given to the host by qv_alloc until qv_free or qv_push/qv_begin
// takes it back, so that the garbage collector keeps it (Go's collector never moves memory).
var blocks = map[uintptr][]byte{}

//go:wasmexport qv_alloc
func qvAlloc(size int32) int32 {
	buf := make([]byte, max(size, 8))
	ptr := uintptr(unsafe.Pointer(&buf[0]))
	blocks[ptr] = buf
	return int32(ptr)
}

//go:wasmexport qv_free
func qvFree(ptr int32) { delete(blocks, uintptr(ptr)) }

// take returns block `ptr` (from qv_alloc), `size` bytes long, and forgets it.
func take(ptr, size int32) []byte {
	buf := blocks[uintptr(ptr)]
	delete(blocks, uintptr(ptr))
	return buf[:size]
}

//go:wasmexport qv_begin
func qvBegin(ptr, size int32) int32 { return answer(driver.begin(take(ptr, size))) }

//go:wasmexport qv_push
func qvPush(port, ptr, size int32) int32 { return answer(driver.push(int(port), take(ptr, size))) }

//go:wasmexport qv_finish
func qvFinish() int32 { return answer(driver.finish()) }

//go:wasmexport qv_output_ptr
func qvOutputPtr(port int32) int32 {
	pending := driver.output(int(port))
	if len(pending) == 0 {
		return 0
	}
	return int32(uintptr(unsafe.Pointer(&pending[0])))
}

//go:wasmexport qv_output_size
func qvOutputSize(port int32) int32 { return int32(len(driver.output(int(port)))) }

//go:wasmexport qv_output_clear
func qvOutputClear(port int32) { driver.clear(int(port)) }

// answer turns a call's outcome into its status, printing an error as the step's error line.
func answer(done bool, err error) int32 {
	switch {
	case err != nil:
		driver.failed = true
		fmt.Fprintf(os.Stderr, "error: %v\n", err)
		return statusFailed
	case driver.failed:
		return statusFailed
	case done:
		return statusDone
	default:
		return statusContinue
	}
}
