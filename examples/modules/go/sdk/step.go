package quiver

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/ipc"
)

// Module is a step's transform. One instance runs one step: keep its state in the value.
type Module interface {
	// Begin is called once, with the parameters and every arrow input's schema known
	// ([Step.InputSchema]); it opens the outputs ([Step.OpenOutput]).
	Begin(step *Step, params Params) error
	// Batch is called for every record batch of input port `port`; `rec` is valid during the call.
	Batch(step *Step, port int, rec arrow.Record) error
}

// Finisher is an optional part of a [Module]: Finish runs once every input has ended.
type Finisher interface {
	Finish(step *Step) error
}

// Definition names a module's ports (manifest order, arrow ports only) and its transform.
type Definition struct {
	ID      string
	Inputs  []string
	Outputs []string
	Module  Module
}

// Register makes `def` the module this binary runs; call it from an init function.
func Register(def Definition) {
	driver = &stepDriver{def: def, step: &Step{
		inputs:  make([]*input, len(def.Inputs)),
		outputs: make([]*output, len(def.Outputs)),
	}}
}

// Step is the running step: its input schemas and its outputs.
type Step struct {
	inputs  []*input
	outputs []*output
}

type input struct {
	schema  *arrow.Schema
	preface []byte // the schema message and every dictionary message so far
}

type output struct {
	pending bytes.Buffer
	writer  *ipc.Writer
}

// InputSchema is the schema of arrow input `port`.
func (s *Step) InputSchema(port int) *arrow.Schema { return s.inputs[port].schema }

// OpenOutput starts output `port` with `schema`.
func (s *Step) OpenOutput(port int, schema *arrow.Schema) error {
	if port < 0 || port >= len(s.outputs) || s.outputs[port] != nil {
		return fmt.Errorf("output %d does not exist or is already open", port)
	}
	o := &output{}
	o.writer = ipc.NewWriter(&o.pending, ipc.WithSchema(schema))
	s.outputs[port] = o
	return nil
}

// Write writes one record batch to open output `port`.
func (s *Step) Write(port int, rec arrow.Record) error {
	if port < 0 || port >= len(s.outputs) || s.outputs[port] == nil {
		return fmt.Errorf("output %d is not open", port)
	}
	return s.outputs[port].writer.Write(rec)
}

// Params are the step's parameters, already valid against the manifest's params schema.
type Params map[string]any

// String is required string member `key`.
func (p Params) String(key string) (string, error) {
	v, ok := p[key].(string)
	if !ok {
		return "", fmt.Errorf("parameter '%s' must be a string", key)
	}
	return v, nil
}

// FloatOr is number member `key`, or `fallback` when it is absent or null.
func (p Params) FloatOr(key string, fallback float64) (float64, error) {
	switch v := p[key].(type) {
	case nil:
		return fallback, nil
	case float64:
		return v, nil
	default:
		return 0, fmt.Errorf("parameter '%s' must be a number", key)
	}
}

// stepDriver runs the registered module through the ABI's calls.
type stepDriver struct {
	def     Definition
	step    *Step
	params  Params
	begun   bool
	failed  bool
	schemas int
}

var driver *stepDriver

// endOfStream is the IPC stream's end marker, which pushed blocks never hold.
var endOfStream = []byte{0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0}

func (d *stepDriver) begin(params []byte) (bool, error) {
	if err := json.Unmarshal(params, &d.params); err != nil {
		return false, fmt.Errorf("%s: parameters: %w", d.def.ID, err)
	}
	if len(d.def.Inputs) == 0 {
		return false, d.start()
	}
	return false, nil
}

func (d *stepDriver) start() error {
	d.begun = true
	if err := d.def.Module.Begin(d.step, d.params); err != nil {
		return fmt.Errorf("%s: %w", d.def.ID, err)
	}
	return nil
}

// push takes one block of input `port`: its schema message first, then whole IPC messages.
func (d *stepDriver) push(port int, block []byte) (bool, error) {
	if port < 0 || port >= len(d.step.inputs) {
		return false, fmt.Errorf("%s: no input port %d", d.def.ID, port)
	}
	in := d.step.inputs[port]
	if in == nil {
		return false, d.pushSchema(port, block)
	}
	if !d.begun {
		return false, errors.New("data before every input's schema")
	}
	dicts, batches := scan(block)
	if batches == 0 {
		// Dictionaries alone (the host may push them apart from their batches): kept for later.
		in.preface = append(in.preface, dicts...)
		return false, nil
	}
	// arrow-go reads streams, not loose messages: read this block after the schema and the
	// dictionaries so far, so that its batches find their dictionaries; then an end-of-stream.
	stream := append(append(in.preface[:len(in.preface):len(in.preface)], block...), endOfStream...)
	reader, err := ipc.NewReader(bytes.NewReader(stream))
	if err != nil {
		return false, fmt.Errorf("%s: input %d: %w", d.def.ID, port, err)
	}
	defer reader.Release()
	for reader.Next() {
		if err := d.def.Module.Batch(d.step, port, reader.Record()); err != nil {
			return false, fmt.Errorf("%s: %w", d.def.ID, err)
		}
	}
	if err := reader.Err(); err != nil {
		return false, fmt.Errorf("%s: input %d: %w", d.def.ID, port, err)
	}
	in.preface = append(in.preface, dicts...)
	return false, nil
}

func (d *stepDriver) pushSchema(port int, block []byte) error {
	reader, err := ipc.NewReader(bytes.NewReader(block))
	if err != nil {
		return fmt.Errorf("%s: input %d: the first block must hold the schema: %w", d.def.ID, port, err)
	}
	d.step.inputs[port] = &input{schema: reader.Schema(), preface: block}
	reader.Release()
	d.schemas++
	if d.schemas == len(d.step.inputs) {
		return d.start()
	}
	return nil
}

// scan returns the dictionary batch messages of `block`, in order, and its number of record
// batches (ABI.md §11.2: a block holds whole encapsulated messages: 0xFFFFFFFF, int32 metadata
// size, metadata, body).
func scan(block []byte) (dicts []byte, batches int) {
	for at := 0; at+8 <= len(block); {
		metaSize := int(binary.LittleEndian.Uint32(block[at+4:]))
		msg, err := ipc.NewMessageReader(bytes.NewReader(block[at:])).Message()
		if err != nil || metaSize == 0 {
			break
		}
		size := 8 + metaSize + int(msg.BodyLen())
		switch msg.Type() {
		case ipc.MessageDictionaryBatch:
			dicts = append(dicts, block[at:at+size]...)
		case ipc.MessageRecordBatch:
			batches++
		}
		msg.Release()
		at += size
	}
	return dicts, batches
}

func (d *stepDriver) finish() (bool, error) {
	if f, ok := d.def.Module.(Finisher); ok && d.begun {
		if err := f.Finish(d.step); err != nil {
			return false, fmt.Errorf("%s: %w", d.def.ID, err)
		}
	}
	for port, o := range d.step.outputs {
		if o == nil {
			return false, fmt.Errorf("%s: output %d was never opened", d.def.ID, port)
		}
		// Close writes the schema if no batch did, then the end-of-stream marker.
		if err := o.writer.Close(); err != nil {
			return false, fmt.Errorf("%s: output %d: %w", d.def.ID, port, err)
		}
	}
	return false, nil
}

func (d *stepDriver) output(port int) []byte {
	if port < 0 || port >= len(d.step.outputs) || d.step.outputs[port] == nil {
		return nil
	}
	return d.step.outputs[port].pending.Bytes()
}

func (d *stepDriver) clear(port int) {
	if port >= 0 && port < len(d.step.outputs) && d.step.outputs[port] != nil {
		d.step.outputs[port].pending.Reset()
	}
}
