package vrrp

import (
	"reflect"

	"github.com/gokeepalived/keepalived/internal/config"
)

// SameInstance tells whether two mapped instances would run identically, so
// a reload can keep the running one untouched. File positions are ignored
// (an instance that only moved in the file is unchanged), and so is the
// sync group object (its name is compared).
func SameInstance(a, b InstanceSpec, va, vb *config.VRRPInstance) bool {
	if a.Group != b.Group || a.GARPInterval != b.GARPInterval ||
		a.NotifyPriorityChanges != b.NotifyPriorityChanges || a.Net.Options != b.Net.Options {
		return false
	}
	return deepEqualNoPos(reflect.ValueOf(va), reflect.ValueOf(vb), 0)
}

var (
	posType  = reflect.TypeOf(config.Pos{})
	syncType = reflect.TypeOf((*config.SyncGroup)(nil))
)

// deepEqualNoPos is reflect.DeepEqual that skips config.Pos values and
// sync group pointers, with a depth bound instead of cycle tracking (the
// config types have no cycles once sync groups are skipped).
func deepEqualNoPos(a, b reflect.Value, depth int) bool {
	if depth > 32 {
		return false
	}
	if a.IsValid() != b.IsValid() {
		return false
	}
	if !a.IsValid() {
		return true
	}
	if a.Type() != b.Type() {
		return false
	}
	if a.Type() == posType || a.Type() == syncType {
		return true
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return deepEqualNoPos(a.Elem(), b.Elem(), depth+1)
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if !deepEqualNoPos(a.Field(i), b.Field(i), depth+1) {
				return false
			}
		}
		return true
	case reflect.Slice, reflect.Array:
		if a.Len() != b.Len() {
			return false
		}
		for i := 0; i < a.Len(); i++ {
			if !deepEqualNoPos(a.Index(i), b.Index(i), depth+1) {
				return false
			}
		}
		return true
	case reflect.Map:
		if a.Len() != b.Len() {
			return false
		}
		it := a.MapRange()
		for it.Next() {
			bv := b.MapIndex(it.Key())
			if !bv.IsValid() || !deepEqualNoPos(it.Value(), bv, depth+1) {
				return false
			}
		}
		return true
	case reflect.Func, reflect.Chan, reflect.UnsafePointer:
		return a.IsNil() && b.IsNil()
	}
	// Basic kinds; unexported fields are readable through these accessors.
	switch a.Kind() {
	case reflect.Bool:
		return a.Bool() == b.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return a.Int() == b.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return a.Uint() == b.Uint()
	case reflect.Float32, reflect.Float64:
		return a.Float() == b.Float()
	case reflect.Complex64, reflect.Complex128:
		return a.Complex() == b.Complex()
	case reflect.String:
		return a.String() == b.String()
	}
	return false
}
