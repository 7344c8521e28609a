"""control_dependencies with TF1's meaning: a read made under control_dependencies([update])
sees the updated value; a read made elsewhere sees the value from the start of the run."""

# rtol: 1e-5
import gaussfit.engine as tf

counter = tf.Variable(0, name="counter")
increment = tf.assign_add(counter, 1)
with tf.control_dependencies([increment]):
    value = tf.identity(counter)
x = tf.Variable(1.0, name="x")
set_x = x.assign(2.0)
with tf.control_dependencies([set_x]):
    tripled = x * 3.0
total = tf.Variable(10.0, name="total")
sub = tf.assign_sub(total, 4.0)
with tf.control_dependencies([tf.group(sub, tf.no_op())]):
    after = tf.identity(total)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for _ in range(5):
        print(sess.run(value))
    print(sess.run(tripled), sess.run(x))
    print(sess.run(after), sess.run(after))
    print(sess.run(tf.group(increment)), sess.run(counter))
