"""The errors a student meets first, by class: bad feeds, unfed placeholders, uninitialised
variables, shapes that cannot match, a closed session."""

# rtol: 1e-5
import gaussfit.engine as tf

x = tf.placeholder(tf.float32, shape=[3], name="x")
y = x * 2.0
v = tf.Variable(1.0, name="v")
attempts = [
    lambda s: s.run(y, {x: "abc"}),
    lambda s: s.run(y, {x: [1.0, 2.0]}),
    lambda s: s.run(y),
    lambda s: s.run(v),
    lambda s: s.run(y, {x: y}),
]
with tf.Session() as sess:
    for attempt in attempts:
        try:
            attempt(sess)
        except Exception as error:
            print(type(error).__name__)
try:
    tf.matmul(tf.zeros([2, 3]), tf.zeros([2, 3]))
except ValueError:
    print("ValueError")
sess = tf.Session()
sess.close()
try:
    sess.run(tf.constant(1.0))
except RuntimeError as error:
    print(error)
