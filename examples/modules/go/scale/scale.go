// Command scale, in Go with the Quiver kit: replaces numeric column `column` by
// `column * factor` as float64 (nulls stay null) and keeps every other column.
// Params: {"column": "distance", "factor": 2}.
// Every kit's example implements this same transform (scripts/kits.test.ts compares them).
package main

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"quiver.local/sdk"
)

type scale struct {
	factor float64
	target int
	out    *arrow.Schema
}

func (s *scale) Begin(step *quiver.Step, params quiver.Params) error {
	column, err := params.String("column")
	if err != nil {
		return err
	}
	if s.factor, err = params.FloatOr("factor", 2); err != nil {
		return err
	}
	in := step.InputSchema(0)
	found := in.FieldIndices(column)
	if len(found) == 0 {
		return fmt.Errorf("no column '%s' in the input", column)
	}
	s.target = found[0]
	if !arrow.IsInteger(in.Field(s.target).Type.ID()) && !arrow.IsFloating(in.Field(s.target).Type.ID()) {
		return fmt.Errorf("column '%s' is %s, not a number", column, in.Field(s.target).Type)
	}
	fields := in.Fields()
	fields[s.target].Type = arrow.PrimitiveTypes.Float64
	s.out = arrow.NewSchema(fields, nil)
	return step.OpenOutput(0, s.out)
}

func (s *scale) Batch(step *quiver.Step, _ int, rec arrow.Record) error {
	scaled := s.scaled(rec.Column(s.target))
	defer scaled.Release()
	columns := rec.Columns()
	columns = append([]arrow.Array(nil), columns...)
	columns[s.target] = scaled
	out := array.NewRecord(s.out, columns, rec.NumRows())
	defer out.Release()
	return step.Write(0, out)
}

// scaled is `x * factor` as float64, nulls kept.
func (s *scale) scaled(x arrow.Array) arrow.Array {
	b := array.NewFloat64Builder(memory.DefaultAllocator)
	defer b.Release()
	b.Reserve(x.Len())
	value := numberAt(x)
	for i := 0; i < x.Len(); i++ {
		if x.IsNull(i) {
			b.UnsafeAppendBoolToBitmap(false)
		} else {
			b.UnsafeAppend(value(i) * s.factor)
		}
	}
	return b.NewArray()
}

// numberAt reads any integer or float array as float64.
func numberAt(x arrow.Array) func(int) float64 {
	switch a := x.(type) {
	case *array.Int8:
		return func(i int) float64 { return float64(a.Value(i)) }
	case *array.Int16:
		return func(i int) float64 { return float64(a.Value(i)) }
	case *array.Int32:
		return func(i int) float64 { return float64(a.Value(i)) }
	case *array.Int64:
		return func(i int) float64 { return float64(a.Value(i)) }
	case *array.Uint8:
		return func(i int) float64 { return float64(a.Value(i)) }
	case *array.Uint16:
		return func(i int) float64 { return float64(a.Value(i)) }
	case *array.Uint32:
		return func(i int) float64 { return float64(a.Value(i)) }
	case *array.Uint64:
		return func(i int) float64 { return float64(a.Value(i)) }
	case *array.Float32:
		return func(i int) float64 { return float64(a.Value(i)) }
	case *array.Float64:
		return a.Value
	}
	panic(fmt.Sprintf("scale: %s is not a number", x.DataType()))
}

func init() {
	quiver.Register(quiver.Definition{ID: "scale", Inputs: []string{"in"}, Outputs: []string{"out"}, Module: &scale{}})
}

func main() {}
