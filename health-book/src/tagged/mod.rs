//! Internally tagged enums (`{"kind": "synced", "source": "…"}`) without serde's `Content`
//! buffer.
//!
//! serde's `#[serde(tag = "kind")]` derive cannot know which variant it reads until it has seen
//! the tag, so it first copies every field of the object into a type-erased `Content` tree and
//! then deserializes the variant out of that copy. That buffer and its deserializer are about
//! 53 KB of the app's wasm (one instance per field type), and the copy costs time on every
//! record read. This app always writes the tag first, so the variant is known after the first
//! key: [`tag_first!`] reads it and hands the rest of the object straight to the variant's
//! fields, keeping the stored format byte for byte.
//!
//! A stored object whose tag is not first is still read, more slowly: settings and audit entries
//! pass through `serde_json::Value` when encryption is turned on or off, which sorts the keys, so
//! `{"count":2,"kind":"unlock_failed"}` exists on devices. The fields before the tag are kept
//! as raw JSON text (borrowed from the input: the app reads with `serde_json::from_slice`) and
//! replayed to the variant once the tag is known.
//!
//! Use: derive `Serialize, Deserialize` with `#[serde(remote = "Self")]` and without `tag`
//! (the derive then writes inherent, externally tagged `serialize`/`deserialize` functions and no
//! trait impls), then `tag_first!(Type, "kind");` adds the trait impls in the tagged form. Unit
//! and struct variants, and newtype variants around a struct (its fields follow the tag).
//! Trap: `remote = "Self"` leaves inherent `Type::serialize`/`Type::deserialize` functions in
//! the untagged-by-name form; call the traits (`serde_json::to_string`, `Serialize::serialize`)
//! instead of those paths.

use std::marker::PhantomData;

use serde::de::{
    self, value::MapAccessDeserializer, DeserializeSeed, Deserializer, EnumAccess, IgnoredAny,
    IntoDeserializer, MapAccess, VariantAccess, Visitor,
};
use serde::ser::{self, Impossible, SerializeStruct, SerializeStructVariant, Serializer};
use serde_json::value::RawValue;

/// An enum stored internally tagged by [`tag_first!`].
pub trait TagFirst: Sized {
    /// The key whose value names the variant.
    const TAG: &'static str;
    /// The derived, externally tagged reader (`#[serde(remote = "Self")]`).
    fn deserialize_variant<'de, D: Deserializer<'de>>(variant: D) -> Result<Self, D::Error>;
}

/// Implements `Serialize` and `Deserialize` for an enum derived with `#[serde(remote = "Self")]`,
/// in the internally tagged form with `$tag` as the first key.
#[macro_export]
macro_rules! tag_first {
    ($ty:ident, $tag:literal) => {
        impl $crate::tagged::TagFirst for $ty {
            const TAG: &'static str = $tag;
            fn deserialize_variant<'de, D: serde::Deserializer<'de>>(
                variant: D,
            ) -> Result<Self, D::Error> {
                // The inherent, derived function (it takes precedence over the trait's).
                $ty::deserialize(variant)
            }
        }
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                $ty::serialize(
                    self,
                    $crate::tagged::TaggedSerializer::new(serializer, $tag),
                )
            }
        }
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::tagged::deserialize(deserializer)
            }
        }
    };
}

// ---------------------------------------------------------------------------------------------
// Writing: the derived externally tagged calls become a struct whose first field is the tag.

/// Turns `serialize_unit_variant` / `serialize_struct_variant` into a struct with the tag first,
/// as serde's internally tagged derive writes it.
pub struct TaggedSerializer<S> {
    inner: S,
    tag: &'static str,
}

impl<S> TaggedSerializer<S> {
    pub fn new(inner: S, tag: &'static str) -> Self {
        TaggedSerializer { inner, tag }
    }
}

fn not_a_variant<E: ser::Error>() -> E {
    E::custom("tag_first! enums have unit, struct and struct-newtype variants only")
}

/// The `Serializer` methods neither adapter accepts (a value that is not a variant), then the
/// given ones.
macro_rules! refuse {
    ($($method:ident($($arg:ty),*) -> $ret:ty;)*) => {
        fn serialize_some<T: ?Sized + ser::Serialize>(self, _: &T) -> Result<S::Ok, S::Error> {
            Err(not_a_variant())
        }
        fn serialize_newtype_struct<T: ?Sized + ser::Serialize>(
            self,
            _: &'static str,
            _: &T,
        ) -> Result<S::Ok, S::Error> {
            Err(not_a_variant())
        }
        refuse! {
            @each
            serialize_bool(bool) -> S::Ok;
            serialize_i8(i8) -> S::Ok;
            serialize_i16(i16) -> S::Ok;
            serialize_i32(i32) -> S::Ok;
            serialize_i64(i64) -> S::Ok;
            serialize_u8(u8) -> S::Ok;
            serialize_u16(u16) -> S::Ok;
            serialize_u32(u32) -> S::Ok;
            serialize_u64(u64) -> S::Ok;
            serialize_f32(f32) -> S::Ok;
            serialize_f64(f64) -> S::Ok;
            serialize_char(char) -> S::Ok;
            serialize_str(&str) -> S::Ok;
            serialize_bytes(&[u8]) -> S::Ok;
            serialize_none() -> S::Ok;
            serialize_unit() -> S::Ok;
            serialize_unit_struct(&'static str) -> S::Ok;
            serialize_seq(Option<usize>) -> Self::SerializeSeq;
            serialize_tuple(usize) -> Self::SerializeTuple;
            serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
            serialize_tuple_variant(&'static str, u32, &'static str, usize)
                -> Self::SerializeTupleVariant;
            serialize_map(Option<usize>) -> Self::SerializeMap;
            $($method($($arg),*) -> $ret;)*
        }
    };
    (@each $($method:ident($($arg:ty),*) -> $ret:ty;)*) => {
        $(fn $method(self, $(_: $arg),*) -> Result<$ret, S::Error> {
            Err(not_a_variant())
        })*
    };
}

impl<S: Serializer> Serializer for TaggedSerializer<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = Impossible<S::Ok, S::Error>;
    type SerializeTuple = Impossible<S::Ok, S::Error>;
    type SerializeTupleStruct = Impossible<S::Ok, S::Error>;
    type SerializeTupleVariant = Impossible<S::Ok, S::Error>;
    type SerializeMap = Impossible<S::Ok, S::Error>;
    type SerializeStruct = Impossible<S::Ok, S::Error>;
    type SerializeStructVariant = TaggedFields<S::SerializeStruct>;

    fn serialize_unit_variant(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<S::Ok, S::Error> {
        let mut fields = self.inner.serialize_struct(name, 1)?;
        fields.serialize_field(self.tag, variant)?;
        fields.end()
    }

    fn serialize_struct_variant(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant, S::Error> {
        let mut fields = self.inner.serialize_struct(name, len + 1)?;
        fields.serialize_field(self.tag, variant)?;
        Ok(TaggedFields(fields))
    }

    fn serialize_newtype_variant<T: ?Sized + ser::Serialize>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<S::Ok, S::Error> {
        value.serialize(TagInStruct {
            inner: self.inner,
            tag: self.tag,
            variant,
        })
    }

    refuse! {
        serialize_struct(&'static str, usize) -> Self::SerializeStruct;
    }
}

/// The variant's fields, after the tag.
pub struct TaggedFields<F>(F);

impl<F: SerializeStruct> SerializeStructVariant for TaggedFields<F> {
    type Ok = F::Ok;
    type Error = F::Error;

    fn serialize_field<T: ?Sized + ser::Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), F::Error> {
        self.0.serialize_field(key, value)
    }

    fn skip_field(&mut self, key: &'static str) -> Result<(), F::Error> {
        self.0.skip_field(key)
    }

    fn end(self) -> Result<F::Ok, F::Error> {
        self.0.end()
    }
}

/// A newtype variant's struct (`Staff(StaffName)`), written with the tag as its first field,
/// as serde's internally tagged derive writes it.
pub struct TagInStruct<S> {
    inner: S,
    tag: &'static str,
    variant: &'static str,
}

impl<S: Serializer> Serializer for TagInStruct<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = Impossible<S::Ok, S::Error>;
    type SerializeTuple = Impossible<S::Ok, S::Error>;
    type SerializeTupleStruct = Impossible<S::Ok, S::Error>;
    type SerializeTupleVariant = Impossible<S::Ok, S::Error>;
    type SerializeMap = Impossible<S::Ok, S::Error>;
    type SerializeStruct = S::SerializeStruct;
    type SerializeStructVariant = Impossible<S::Ok, S::Error>;

    fn serialize_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<S::SerializeStruct, S::Error> {
        let mut fields = self.inner.serialize_struct(name, len + 1)?;
        fields.serialize_field(self.tag, self.variant)?;
        Ok(fields)
    }

    fn serialize_newtype_variant<T: ?Sized + ser::Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<S::Ok, S::Error> {
        Err(not_a_variant())
    }

    refuse! {
        serialize_unit_variant(&'static str, u32, &'static str) -> S::Ok;
        serialize_struct_variant(&'static str, u32, &'static str, usize)
            -> Self::SerializeStructVariant;
    }
}

// ---------------------------------------------------------------------------------------------
// Reading: find the tag, then let the derived enum reader take the rest of the object.

/// Reads a [`TagFirst`] enum from an object: its tag, then the variant's fields.
pub fn deserialize<'de, T: TagFirst, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(TaggedVisitor(PhantomData))
}

struct TaggedVisitor<T>(PhantomData<T>);

impl<'de, T: TagFirst> Visitor<'de> for TaggedVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "an object with a `{}` field", T::TAG)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        // Fields stored before the tag (see the module's note): kept as JSON text.
        let mut before = Vec::new();
        loop {
            match map.next_key_seed(KeySeed(T::TAG))? {
                Some(Key::Tag) => break,
                Some(Key::Other(key)) => {
                    let value: &'de RawValue = map.next_value().map_err(|e| {
                        de::Error::custom(format_args!(
                            "`{}` is not the first field and `{key}` cannot be kept: {e}",
                            T::TAG
                        ))
                    })?;
                    before.push((key, value));
                }
                None => return Err(de::Error::missing_field(T::TAG)),
            }
        }
        T::deserialize_variant(Variant(Fields {
            before: before.into_iter(),
            pending: None,
            live: &mut map,
        }))
    }
}

enum Key {
    Tag,
    Other(String),
}

/// A key: the tag (no allocation), or another field's name.
struct KeySeed(&'static str);

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Key;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
        Ok(if key == self.0 {
            Key::Tag
        } else {
            Key::Other(key.to_owned())
        })
    }
}

/// The object's fields after the tag: first those read before it, then the rest, unread.
struct Fields<'a, 'de, A> {
    before: std::vec::IntoIter<(String, &'de RawValue)>,
    pending: Option<&'de RawValue>,
    live: &'a mut A,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Fields<'_, 'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        match self.before.next() {
            Some((key, value)) => {
                self.pending = Some(value);
                seed.deserialize(key.into_deserializer()).map(Some)
            }
            None => self.live.next_key_seed(seed),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        match self.pending.take() {
            // The same reader type as the app's `serde_json::from_slice`, so the fields' readers
            // are the instances already linked.
            Some(raw) => seed
                .deserialize(&mut serde_json::Deserializer::from_slice(
                    raw.get().as_bytes(),
                ))
                .map_err(de::Error::custom),
            None => self.live.next_value_seed(seed),
        }
    }
}

/// What the derived, externally tagged reader sees: an enum whose variant name is the tag's
/// value and whose body is the remaining fields.
struct Variant<'a, 'de, A>(Fields<'a, 'de, A>);

impl<'de, A: MapAccess<'de>> Deserializer<'de> for Variant<'_, 'de, A> {
    type Error = A::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, A::Error> {
        Err(de::Error::custom("tag_first! reads enums only"))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        visitor.visit_enum(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct identifier
        ignored_any
    }
}

impl<'de, 'a, A: MapAccess<'de>> EnumAccess<'de> for Variant<'a, 'de, A> {
    type Error = A::Error;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self), A::Error> {
        // The tag's value, straight into the derived variant name reader (which names the
        // known variants when the value is none of them).
        let variant = self.0.live.next_value_seed(seed)?;
        Ok((variant, self))
    }
}

impl<'de, A: MapAccess<'de>> VariantAccess<'de> for Variant<'_, 'de, A> {
    type Error = A::Error;

    fn unit_variant(mut self) -> Result<(), A::Error> {
        // As the derive does, a unit variant ignores any other field; the object must still be
        // read to its end.
        while self.0.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        // The variant's struct reads the remaining fields.
        seed.deserialize(MapAccessDeserializer::new(self.0))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value, A::Error> {
        Err(de::Error::custom("tag_first! enums have no tuple variants"))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        visitor.visit_map(self.0)
    }
}

#[cfg(test)]
mod tests;
