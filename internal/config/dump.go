package config

import (
	"fmt"
	"io"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// dumpMaxDepth bounds the nesting Dump follows.
const dumpMaxDepth = 32

// Dump writes a readable, stable, indented dump of m (keepalived's -d):
// every exported field by name, found by reflection so new fields appear
// without changes here. Values with a String method print through it;
// a pointer already shown is printed as a reference instead of again.
func Dump(w io.Writer, m *Model) error {
	d := &dumper{seen: map[uintptr]string{}}
	if m == nil {
		d.b.WriteString("Model: <nil>\n")
	} else {
		d.value("Model", reflect.ValueOf(m), 0, "Model")
	}
	if _, err := io.WriteString(w, d.b.String()); err != nil {
		return fmt.Errorf("write config dump: %w", err)
	}
	return nil
}

type dumper struct {
	b    strings.Builder
	seen map[uintptr]string // pointer -> path where it was printed
}

var stringerType = reflect.TypeFor[fmt.Stringer]()

func (d *dumper) line(depth int, name, val string) {
	d.b.WriteString(strings.Repeat("  ", depth))
	d.b.WriteString(name)
	if val != "" {
		d.b.WriteString(" = ")
		d.b.WriteString(val)
	}
	d.b.WriteByte('\n')
}

// value prints v under name at depth; path names it for back references.
func (d *dumper) value(name string, v reflect.Value, depth int, path string) {
	if depth > dumpMaxDepth {
		d.line(depth, name, "<too deep>")
		return
	}
	if !v.IsValid() {
		d.line(depth, name, "<nil>")
		return
	}
	if s, ok := scalar(v); ok {
		d.line(depth, name, s)
		return
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			d.line(depth, name, "<nil>")
			return
		}
		if v.Kind() == reflect.Pointer {
			if at, ok := d.seen[v.Pointer()]; ok {
				d.line(depth, name, "-> "+at)
				return
			}
			d.seen[v.Pointer()] = path
		}
		d.value(name, v.Elem(), depth, path)
	case reflect.Struct:
		d.structValue(name, v, depth, path)
	case reflect.Slice, reflect.Array:
		d.listValue(name, v, depth, path)
	case reflect.Map:
		d.mapValue(name, v, depth, path)
	default:
		d.line(depth, name, "<"+v.Type().String()+">")
	}
}

func (d *dumper) structValue(name string, v reflect.Value, depth int, path string) {
	t := v.Type()
	d.line(depth, name+":", "")
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		d.value(f.Name, v.Field(i), depth+1, path+"."+f.Name)
	}
}

func (d *dumper) listValue(name string, v reflect.Value, depth int, path string) {
	if v.Len() == 0 {
		d.line(depth, name, "[]")
		return
	}
	if allScalar(v) {
		parts := make([]string, v.Len())
		for i := range parts {
			parts[i], _ = scalar(v.Index(i))
		}
		d.line(depth, name, "["+strings.Join(parts, ", ")+"]")
		return
	}
	d.line(depth, name+": ("+strconv.Itoa(v.Len())+")", "")
	for i := 0; i < v.Len(); i++ {
		idx := "[" + strconv.Itoa(i) + "]"
		d.value(idx, v.Index(i), depth+1, path+idx)
	}
}

func (d *dumper) mapValue(name string, v reflect.Value, depth int, path string) {
	if v.Len() == 0 {
		d.line(depth, name, "{}")
		return
	}
	type kv struct {
		k string
		v reflect.Value
	}
	entries := make([]kv, 0, v.Len())
	it := v.MapRange()
	for it.Next() {
		k, ok := scalar(it.Key())
		if it.Key().Kind() == reflect.String {
			k = it.Key().String()
		} else if !ok {
			k = fmt.Sprint(it.Key().Interface())
		}
		entries = append(entries, kv{k, it.Value()})
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].k < entries[j].k })
	d.line(depth, name+": ("+strconv.Itoa(len(entries))+")", "")
	for _, e := range entries {
		idx := "[" + e.k + "]"
		d.value(idx, e.v, depth+1, path+idx)
	}
}

// allScalar reports whether every element of a list prints on one line.
func allScalar(v reflect.Value) bool {
	for i := 0; i < v.Len(); i++ {
		if _, ok := scalar(v.Index(i)); !ok {
			return false
		}
	}
	return true
}

// scalar formats v on one line when it is a basic value or a Stringer.
func scalar(v reflect.Value) (string, bool) {
	if !v.IsValid() {
		return "<nil>", true
	}
	if v.Kind() != reflect.Interface && v.Kind() != reflect.Pointer && v.Type().Implements(stringerType) && v.CanInterface() {
		return safeString(v), true
	}
	switch v.Kind() {
	case reflect.String:
		return strconv.Quote(v.String()), true
	case reflect.Bool:
		return strconv.FormatBool(v.Bool()), true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(v.Uint(), 10), true
	case reflect.Float32, reflect.Float64:
		return strconv.FormatFloat(v.Float(), 'g', -1, 64), true
	case reflect.Complex64, reflect.Complex128:
		return fmt.Sprint(v.Complex()), true
	}
	return "", false
}

// safeString calls String on v, never letting a panicking method escape.
func safeString(v reflect.Value) (s string) {
	defer func() {
		if recover() != nil {
			s = "<" + v.Type().String() + ">"
		}
	}()
	return v.Interface().(fmt.Stringer).String()
}

// reflectValue is reflect.ValueOf (a seam for tests).
func reflectValue(v any) reflect.Value { return reflect.ValueOf(v) }
