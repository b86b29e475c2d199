//! The one deserializer that typed objects are read with: a JSON value, taken apart as
//! serde_json's own `Value` deserializer does, that also remembers where the first error
//! happened (`spec.template.spec.containers[0].ports[0].containerPort`), for the API server's
//! `json: cannot unmarshal ... into Go struct field ...` message.
//!
//! Why not `serde_json::from_value` plus `serde_path_to_error`: every k8s-openapi type's
//! `Deserialize` impl is instantiated once per deserializer type, and those impls are the
//! largest code in the page's WebAssembly. One deserializer that both decodes and tracks the
//! path keeps one copy of them.

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, EnumAccess, Error as _, IntoDeserializer, MapAccess,
    SeqAccess, Unexpected, VariantAccess, Visitor,
};
use serde_json::{Error, Map, Value};
use std::cell::RefCell;

/// Decode `T` from `v`; on failure also the path of the value that failed, written as
/// serde_path_to_error writes it (`a.b[0].c`, `.` for the root).
pub fn from_value<T: DeserializeOwned>(v: Value) -> Result<T, (String, Error)> {
    let track = Track::default();
    T::deserialize(De { v, t: &track }).map_err(|e| {
        let path = track.failed.borrow_mut().take();
        (path.unwrap_or_else(|| track.render()), e)
    })
}

pub(crate) enum Seg {
    Key(String),
    Index(usize),
}

#[derive(Default)]
/// Where decoding is (the path of the value being read) and where it first failed.
pub struct Track {
    stack: RefCell<Vec<Seg>>,
    /// The path at the innermost failure, set once.
    failed: RefCell<Option<String>>,
}

impl Track {
    /// Where the first failure happened (or where decoding stopped).
    pub(crate) fn failed_path(&self) -> String {
        let failed = self.failed.borrow_mut().take();
        failed.unwrap_or_else(|| self.render())
    }

    pub(crate) fn render(&self) -> String {
        let stack = self.stack.borrow();
        if stack.is_empty() {
            return ".".into();
        }
        let mut s = String::new();
        for seg in stack.iter() {
            match seg {
                Seg::Index(i) => {
                    s.push('[');
                    s.push_str(&i.to_string());
                    s.push(']');
                }
                Seg::Key(k) => {
                    if !s.is_empty() {
                        s.push('.');
                    }
                    s.push_str(k);
                }
            }
        }
        s
    }

    /// Run `f` one level down, at `seg`; the first failure records where it happened.
    pub(crate) fn at<R>(&self, seg: Seg, f: impl FnOnce() -> Result<R, Error>) -> Result<R, Error> {
        self.enter(seg);
        let r = f();
        self.leave(r.is_err());
        r
    }

    /// Go one level down, at `seg` (kept out of line: every decoded type shares it).
    #[inline(never)]
    pub(crate) fn enter(&self, seg: Seg) {
        self.stack.borrow_mut().push(seg);
    }

    /// Come back up; a failure below records where it happened, if none did yet.
    #[inline(never)]
    pub(crate) fn leave(&self, failed: bool) {
        if failed {
            self.fail();
        }
        self.stack.borrow_mut().pop();
    }

    fn fail(&self) {
        let mut failed = self.failed.borrow_mut();
        if failed.is_none() {
            *failed = Some(self.render());
        }
    }
}

pub(crate) struct De<'t> {
    pub(crate) v: Value,
    pub(crate) t: &'t Track,
}

pub(crate) fn unexpected(v: &Value) -> Unexpected<'_> {
    match v {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                Unexpected::Unsigned(u)
            } else if let Some(i) = n.as_i64() {
                Unexpected::Signed(i)
            } else {
                Unexpected::Float(n.as_f64().unwrap_or(0.0))
            }
        }
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

#[cold]
fn invalid<E: de::Expected>(v: &Value, exp: &E) -> Error {
    Error::invalid_type(unexpected(v), exp)
}

fn visit_number<'de, V: Visitor<'de>>(
    n: &serde_json::Number,
    visitor: V,
) -> Result<V::Value, Error> {
    if let Some(u) = n.as_u64() {
        visitor.visit_u64(u)
    } else if let Some(i) = n.as_i64() {
        visitor.visit_i64(i)
    } else {
        visitor.visit_f64(n.as_f64().unwrap_or(0.0))
    }
}

impl<'t> De<'t> {
    fn visit_array<'de, V: Visitor<'de>>(
        a: Vec<Value>,
        t: &'t Track,
        visitor: V,
    ) -> Result<V::Value, Error> {
        let len = a.len();
        let mut seq = Seq {
            iter: a.into_iter(),
            i: 0,
            t,
        };
        let v = visitor.visit_seq(&mut seq)?;
        if seq.iter.len() == 0 {
            Ok(v)
        } else {
            Err(Error::invalid_length(len, &"fewer elements in array"))
        }
    }

    fn visit_object<'de, V: Visitor<'de>>(
        m: Map<String, Value>,
        t: &'t Track,
        visitor: V,
    ) -> Result<V::Value, Error> {
        let len = m.len();
        let mut map = MapDe {
            iter: m.into_iter(),
            value: None,
            t,
        };
        let v = visitor.visit_map(&mut map)?;
        if map.iter.len() == 0 {
            Ok(v)
        } else {
            Err(Error::invalid_length(len, &"fewer elements in map"))
        }
    }

    fn number<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.v {
            Value::Number(n) => visit_number(n, visitor),
            v => Err(invalid(v, &visitor)),
        }
    }
}

macro_rules! numbers {
    ($($m:ident)*) => {$(
        fn $m<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            self.number(visitor)
        }
    )*};
}

impl<'de, 't> de::Deserializer<'de> for De<'t> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.v {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(b),
            Value::Number(n) => visit_number(&n, visitor),
            Value::String(s) => visitor.visit_string(s),
            Value::Array(a) => Self::visit_array(a, self.t, visitor),
            Value::Object(m) => Self::visit_object(m, self.t, visitor),
        }
    }

    numbers!(deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
        deserialize_f32 deserialize_f64);

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.v {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.v {
            Value::Object(m) => {
                let mut iter = m.into_iter();
                let single = "map with a single key";
                let Some((variant, value)) = iter.next() else {
                    return Err(Error::invalid_value(Unexpected::Map, &single));
                };
                if iter.next().is_some() {
                    return Err(Error::invalid_value(Unexpected::Map, &single));
                }
                visitor.visit_enum(Enum {
                    variant,
                    value: Some(value),
                    t: self.t,
                })
            }
            Value::String(variant) => visitor.visit_enum(Enum {
                variant,
                value: None,
                t: self.t,
            }),
            other => Err(Error::invalid_type(unexpected(&other), &"string or map")),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.v {
            Value::Bool(b) => visitor.visit_bool(b),
            v => Err(invalid(&v, &visitor)),
        }
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_string(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_string(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.v {
            Value::String(s) => visitor.visit_string(s),
            v => Err(invalid(&v, &visitor)),
        }
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_byte_buf(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.v {
            Value::String(s) => visitor.visit_string(s),
            Value::Array(a) => Self::visit_array(a, self.t, visitor),
            v => Err(invalid(&v, &visitor)),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.v {
            Value::Null => visitor.visit_unit(),
            v => Err(invalid(&v, &visitor)),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.v {
            Value::Array(a) => Self::visit_array(a, self.t, visitor),
            v => Err(invalid(&v, &visitor)),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.v {
            Value::Object(m) => Self::visit_object(m, self.t, visitor),
            v => Err(invalid(&v, &visitor)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.v {
            Value::Array(a) => Self::visit_array(a, self.t, visitor),
            Value::Object(m) => Self::visit_object(m, self.t, visitor),
            v => Err(invalid(&v, &visitor)),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_string(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        drop(self);
        visitor.visit_unit()
    }
}

struct Seq<'t> {
    iter: std::vec::IntoIter<Value>,
    i: usize,
    t: &'t Track,
}

impl<'de, 't> SeqAccess<'de> for Seq<'t> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        let Some(v) = self.iter.next() else {
            return Ok(None);
        };
        let i = self.i;
        self.i += 1;
        let t = self.t;
        t.at(Seg::Index(i), || seed.deserialize(De { v, t }))
            .map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        match self.iter.size_hint() {
            (lower, Some(upper)) if lower == upper => Some(upper),
            _ => None,
        }
    }
}

struct MapDe<'t> {
    iter: serde_json::map::IntoIter,
    value: Option<(String, Value)>,
    t: &'t Track,
}

impl<'de, 't> MapAccess<'de> for MapDe<'t> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.iter.next() else {
            return Ok(None);
        };
        let k = seed.deserialize(key.as_str().into_deserializer());
        self.value = Some((key, value));
        k.map(Some)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, Error> {
        let Some((key, v)) = self.value.take() else {
            return Err(Error::custom("value is missing"));
        };
        let t = self.t;
        t.at(Seg::Key(key), || seed.deserialize(De { v, t }))
    }

    fn size_hint(&self) -> Option<usize> {
        match self.iter.size_hint() {
            (lower, Some(upper)) if lower == upper => Some(upper),
            _ => None,
        }
    }
}

struct Enum<'t> {
    variant: String,
    value: Option<Value>,
    t: &'t Track,
}

impl<'de, 't> EnumAccess<'de> for Enum<'t> {
    type Error = Error;
    type Variant = Variant<'t>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Variant<'t>), Error> {
        let v = seed.deserialize(self.variant.as_str().into_deserializer())?;
        Ok((
            v,
            Variant {
                variant: self.variant,
                value: self.value,
                t: self.t,
            },
        ))
    }
}

struct Variant<'t> {
    variant: String,
    value: Option<Value>,
    t: &'t Track,
}

impl<'de, 't> VariantAccess<'de> for Variant<'t> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        match self.value {
            Some(v) => {
                let t = self.t;
                t.at(Seg::Key(self.variant), || {
                    <() as de::Deserialize>::deserialize(De { v, t })
                })
            }
            None => Ok(()),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        match self.value {
            Some(v) => {
                let t = self.t;
                t.at(Seg::Key(self.variant), || seed.deserialize(De { v, t }))
            }
            None => Err(Error::invalid_type(
                Unexpected::UnitVariant,
                &"newtype variant",
            )),
        }
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        let t = self.t;
        match self.value {
            Some(Value::Array(a)) => t.at(Seg::Key(self.variant), || {
                if a.is_empty() {
                    visitor.visit_unit()
                } else {
                    De::visit_array(a, t, visitor)
                }
            }),
            Some(other) => Err(Error::invalid_type(unexpected(&other), &"tuple variant")),
            None => Err(Error::invalid_type(
                Unexpected::UnitVariant,
                &"tuple variant",
            )),
        }
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let t = self.t;
        match self.value {
            Some(Value::Object(m)) => {
                t.at(Seg::Key(self.variant), || De::visit_object(m, t, visitor))
            }
            Some(other) => Err(Error::invalid_type(unexpected(&other), &"struct variant")),
            None => Err(Error::invalid_type(
                Unexpected::UnitVariant,
                &"struct variant",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::apps::v1::Deployment;
    use serde_json::json;

    /// Same values and same error text as serde_json's own deserializer, and the path that
    /// serde_path_to_error reports.
    fn same_as_serde_json<T: DeserializeOwned + PartialEq + std::fmt::Debug>(v: Value) {
        let ours = from_value::<T>(v.clone());
        let theirs = serde_path_to_error::deserialize::<_, T>(v.clone());
        match (ours, theirs) {
            (Ok(a), Ok(b)) => assert_eq!(a, b),
            (Err((path, e)), Err(e2)) => {
                assert_eq!(path, e2.path().to_string(), "{v}");
                assert_eq!(e.to_string(), e2.into_inner().to_string(), "{v}");
            }
            (a, b) => panic!("{v}: ours {:?}, serde_json {:?}", a.is_ok(), b.is_ok()),
        }
        let plain = serde_json::from_value::<T>(v.clone());
        let ours = from_value::<T>(v);
        assert_eq!(
            plain.map_err(|e| e.to_string()),
            ours.map_err(|(_, e)| e.to_string())
        );
    }

    #[test]
    fn decodes_and_fails_as_serde_json_does() {
        let good = json!({"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web", "labels": {"a": "b"}, "creationTimestamp": "2024-01-01T00:00:00Z"},
            "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}},
                "strategy": {"rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 1}},
                "template": {"metadata": {"labels": {"app": "web"}},
                    "spec": {"containers": [{"name": "c", "image": "nginx",
                        "ports": [{"containerPort": 80}],
                        "resources": {"limits": {"cpu": "500m", "memory": 1.5}},
                        "env": [{"name": "A", "value": "1"}]}]}}}});
        same_as_serde_json::<Deployment>(good.clone());
        let bad = |path: &[&str], v: Value| {
            let mut d = good.clone();
            let mut at = &mut d;
            for p in &path[..path.len() - 1] {
                at = match p.parse::<usize>() {
                    Ok(i) => &mut at[i],
                    Err(_) => &mut at[*p],
                };
            }
            at[path[path.len() - 1]] = v;
            same_as_serde_json::<Deployment>(d);
        };
        bad(&["spec", "replicas"], json!("3"));
        bad(&["spec", "replicas"], json!(-3));
        bad(&["spec", "replicas"], json!(3.5));
        bad(&["spec", "replicas"], json!(5000000000u64));
        bad(&["spec", "replicas"], json!([1]));
        bad(&["spec", "replicas"], json!(null));
        bad(&["spec", "paused"], json!("yes"));
        bad(
            &["spec", "template", "spec", "containers", "0", "ports"],
            json!({"a": 1}),
        );
        bad(
            &[
                "spec",
                "template",
                "spec",
                "containers",
                "0",
                "ports",
                "0",
                "containerPort",
            ],
            json!("80"),
        );
        bad(
            &["spec", "template", "spec", "containers", "0", "name"],
            json!(7),
        );
        bad(
            &[
                "spec",
                "template",
                "spec",
                "containers",
                "0",
                "env",
                "0",
                "value",
            ],
            json!(true),
        );
        bad(
            &["spec", "template", "spec", "containers", "0", "command"],
            json!("sh"),
        );
        bad(
            &["spec", "strategy", "rollingUpdate", "maxSurge"],
            json!(true),
        );
        bad(
            &["spec", "strategy", "rollingUpdate", "maxSurge"],
            json!(1.5),
        );
        bad(&["spec", "selector", "matchLabels"], json!(["a"]));
        bad(&["spec", "selector", "matchLabels", "app"], json!(1));
        bad(&["metadata", "creationTimestamp"], json!("yesterday"));
        bad(&["metadata", "labels"], json!("x"));
        bad(&["metadata"], json!(1));
        bad(
            &["spec", "template", "spec", "containers"],
            json!([{"image": "x"}]),
        );
        bad(
            &[
                "spec",
                "template",
                "spec",
                "containers",
                "0",
                "resources",
                "limits",
                "cpu",
            ],
            json!([]),
        );
        same_as_serde_json::<Deployment>(json!("x"));
        same_as_serde_json::<Deployment>(json!([]));
        same_as_serde_json::<Deployment>(json!({}));
    }
}
